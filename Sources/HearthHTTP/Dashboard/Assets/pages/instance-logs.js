// An app's logs: a live tail of one micro's output (or of its builds) over server-sent events,
// and its scheduled actions with their recent runs and a "Run now" button.
import { api, apiURL } from '../api.js';
import { h, fill, toast, ago } from '../ui.js';

const maxLines = 2000;

export async function render(section, instance) {
  const micros = instance.micros.map((micro) => micro.name);
  const choice = h('select', { id: 'log-source', 'aria-label': 'Which log' },
    micros.map((name) => h('option', { value: name }, name)),
    h('option', { value: 'build' }, 'build (installs and updates)'));
  const status = h('span', { class: 'log-status', role: 'status', 'aria-live': 'polite' }, 'connecting…');
  const pause = h('button', { type: 'button', class: 'small-button', 'aria-pressed': 'false' }, 'Pause');
  const clear = h('button', { type: 'button', class: 'small-button' }, 'Clear');
  const pane = h('pre', { class: 'log-pane', tabindex: '0', 'aria-label': 'Log lines', 'aria-live': 'off' });
  const jump = h('button', { type: 'button', class: 'log-jump', hidden: true }, 'New lines below ↓');
  const actions = h('div', { class: 'log-actions' }, h('p', { class: 'loading' }, 'Loading actions…'));

  fill(section,
    h('div', { class: 'log-toolbar' },
      h('label', { for: 'log-source', class: 'inline' }, 'Log'), choice, status,
      h('div', { class: 'row log-buttons' }, pause, clear)),
    h('div', { class: 'log-frame' }, pane, jump),
    h('p', { class: 'muted small' }, 'Lines appear as the app writes them. Scroll up to read; the view follows new lines again when you are back at the bottom.'),
    h('h2', {}, 'Scheduled actions'),
    actions);

  let source = null;
  let paused = false;
  let held = [];
  let follow = true;

  const atBottom = () => pane.scrollHeight - pane.scrollTop - pane.clientHeight < 24;
  pane.addEventListener('scroll', () => {
    follow = atBottom();
    if (follow) jump.hidden = true;
  });
  jump.addEventListener('click', () => {
    follow = true;
    pane.scrollTop = pane.scrollHeight;
    jump.hidden = true;
  });

  function show(lines) {
    if (!lines.length) return;
    pane.querySelector('.log-empty')?.remove();
    const fragment = document.createDocumentFragment();
    for (const text of lines) {
      const line = h('span', { class: text.includes('[hearth]') ? 'log-line node' : 'log-line' }, text);
      fragment.append(line, '\n');
    }
    pane.append(fragment);
    while (pane.childNodes.length > maxLines * 2) {
      pane.firstChild.remove();
      pane.firstChild?.remove();
    }
    if (follow) pane.scrollTop = pane.scrollHeight;
    else jump.hidden = false;
  }

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = `log-status ${kind}`;
  }

  function empty() {
    fill(pane, h('span', { class: 'log-empty' }, choice.value === 'build'
      ? 'No build output yet.'
      : 'No lines yet. The micro writes here once it has run: open the app to wake it.'));
  }

  function connect() {
    source?.close();
    empty();
    held = [];
    setStatus('connecting…', 'waiting');
    const url = apiURL(`instances/${encodeURIComponent(instance.id)}/logs/stream?micro=${encodeURIComponent(choice.value)}&lines=200`);
    source = new EventSource(url);
    let fresh = true;
    let batch = [];
    let timer = null;
    source.addEventListener('open', () => {
      // After a reconnection the node sends the last lines again: start over.
      if (!fresh) empty();
      fresh = false;
      setStatus(paused ? 'paused' : 'live', paused ? 'waiting' : 'live');
    });
    source.addEventListener('message', (event) => {
      if (paused) {
        held.push(event.data);
        if (held.length > maxLines) held.shift();
        return;
      }
      batch.push(event.data);
      if (!timer) {
        timer = requestAnimationFrame(() => {
          timer = null;
          show(batch);
          batch = [];
        });
      }
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) setStatus('disconnected — reload the page to retry', 'bad');
      else setStatus('reconnecting…', 'waiting');
    });
  }

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (paused) {
      setStatus('paused', 'waiting');
    } else {
      show(held);
      held = [];
      setStatus(source && source.readyState === EventSource.OPEN ? 'live' : 'reconnecting…', source && source.readyState === EventSource.OPEN ? 'live' : 'waiting');
    }
  });
  clear.addEventListener('click', () => {
    pane.replaceChildren();
    held = [];
  });
  choice.addEventListener('change', connect);

  window.addEventListener('pagehide', () => source?.close(), { once: true });
  connect();
  await loadActions(actions, instance);
  // The router calls this when the person leaves the tab: the stream ends with it.
  return () => source?.close();
}

async function loadActions(container, instance) {
  let list;
  try {
    list = await api(`instances/${encodeURIComponent(instance.id)}/actions`);
  } catch (error) {
    fill(container, h('p', { class: 'notice error' }, error.message));
    return;
  }
  if (!list.length) {
    fill(container, h('p', { class: 'muted' }, `${instance.app} has no scheduled actions. Apps declare them in their Spacefile; they run on their schedule, and you can run them by hand here.`));
    return;
  }
  fill(container, h('ul', { class: 'action-list' }, list.map((action) => actionCard(action, instance))));
}

function runItem(run) {
  return h('li', { class: run.succeeded ? 'run ok' : 'run bad' },
    h('span', { class: `badge ${run.succeeded ? 'running' : 'crashed'}` }, run.succeeded ? 'Succeeded' : 'Failed'),
    ' ', h('time', { datetime: run.at, title: new Date(run.at).toLocaleString() }, ago(run.at)),
    h('span', { class: 'muted small' }, run.trigger === 'manual' ? ' · by hand' : ' · on schedule'),
    h('div', { class: 'run-result mono' }, run.result));
}

function actionCard(action, instance) {
  const runs = h('ul', { class: 'runs' });
  const last = h('span', {});
  const update = (data) => {
    fill(last, action.last_run ? h('time', { datetime: action.last_run, title: new Date(action.last_run).toLocaleString() }, ago(action.last_run)) : 'never');
    fill(runs, data.length ? data.map(runItem) : h('li', { class: 'muted small' }, 'No runs since the node started.'));
  };
  const button = h('button', { type: 'button', class: 'primary' }, 'Run now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Running…';
    try {
      const run = await api(`instances/${encodeURIComponent(instance.id)}/actions/${encodeURIComponent(action.id)}/run`, { method: 'POST' });
      action.runs = [run, ...action.runs].slice(0, 10);
      action.last_run = run.at;
      update(action.runs);
      toast(run.succeeded ? `${action.name} ran.` : `${action.name} failed.`, run.succeeded ? 'info' : 'error');
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      button.disabled = false;
      button.textContent = 'Run now';
    }
  });
  update(action.runs);
  return h('li', { class: 'card action', dataset: { action: action.id } },
    h('div', { class: 'action-head' },
      h('div', {}, h('h3', {}, action.name), action.description ? h('p', { class: 'muted small' }, action.description) : null),
      button),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Schedule'), h('dd', {}, action.schedule),
      h('dt', {}, 'Micro'), h('dd', {}, action.micro),
      h('dt', {}, 'Last run'), h('dd', {}, last),
      h('dt', {}, 'Next run'), h('dd', {}, action.next_run ? new Date(action.next_run).toLocaleString() : '–')),
    h('h4', {}, 'Recent runs'),
    runs);
}
