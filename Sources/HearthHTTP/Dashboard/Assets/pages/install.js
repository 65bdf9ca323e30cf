// Install: a release link or file → what it is and what it asks for → the build, live → open it.
import { api, streamLines, APIError } from '../api.js';
import { h, fill, toast } from '../ui.js';
import { buildLog } from './build-log.js';

/** Plain words for what one micro asks for. */
function asks(micro) {
  const items = [];
  for (const env of micro.env) {
    const detail = [env.description, env.default_value ? `default “${env.default_value}”` : null].filter(Boolean).join(' — ');
    items.push(h('li', {}, h('strong', {}, 'A setting: '), h('code', {}, env.name), detail ? ` — ${detail}` : '',
      h('span', { class: 'muted' }, ' (you fill it in later under Settings)')));
  }
  if (micro.public_routes.length) {
    items.push(h('li', { class: 'ask-public' }, h('strong', {}, 'Open to anyone without signing in: '),
      micro.public_routes.map((route, index) => [index ? ', ' : '', h('code', {}, route)])));
  }
  if (micro.api_keys) {
    items.push(h('li', {}, h('strong', {}, 'App keys: '), 'programs holding a key you create may use its private pages.'));
  }
  for (const action of micro.actions) {
    items.push(h('li', {}, h('strong', {}, 'Runs on its own: '), action.name, ` (${action.schedule})`,
      action.description ? h('span', { class: 'muted' }, ` — ${action.description}`) : null));
  }
  if (!items.length) items.push(h('li', { class: 'muted' }, 'Nothing beyond its own data: every page needs you signed in.'));
  return h('div', { class: 'micro-asks' },
    h('h4', {}, micro.name, h('span', { class: 'muted small' }, ` · ${micro.engine}${micro.primary ? ' · main' : ''} · at ${micro.path}`)),
    h('ul', {}, items));
}

function summaryCard(inspection, onInstall, onCancel) {
  const release = inspection.release;
  const name = h('input', { id: 'install-name', name: 'name', value: release.app.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40), autocomplete: 'off', 'aria-describedby': 'install-name-help' });
  const install = h('button', { class: 'primary', type: 'submit', id: 'install-confirm' }, 'Install');
  const form = h('form', { class: 'card summary', 'aria-labelledby': 'summary-title' },
    h('div', { class: 'summary-head' },
      h('div', {},
        h('h2', { id: 'summary-title' }, release.title || release.app, ' ', h('span', { class: 'version' }, release.version)),
        release.tagline ? h('p', { class: 'muted' }, release.tagline) : null),
      h('span', { class: 'badge verified' }, 'Signature verified')),
    release.notes ? h('p', {}, h('strong', {}, 'Notes: '), release.notes) : null,
    h('div', { class: 'fingerprint-box' },
      h('div', { class: 'small muted' }, 'Publisher fingerprint'),
      h('code', { class: 'fingerprint', id: 'publisher-fingerprint' }, release.fingerprint),
      h('p', { class: 'small' }, `Compare it with the one the publisher gives you. The signature proves these ${release.files} files are exactly what the holder of this key released; it cannot tell you who holds the key.`)),
    inspection.installed.length ? h('p', { class: 'notice' }, `You already have ${release.app} as `,
      inspection.installed.map((item, index) => [index ? ', ' : '', h('a', { href: `/apps/${encodeURIComponent(item.slug)}`, 'data-nav': true }, item.slug), ` (${item.version})`]),
      '. Installing again makes a separate copy with its own data.') : null,
    h('h3', {}, 'What it asks for'),
    release.micros.map(asks),
    h('label', { for: 'install-name' }, 'Name'),
    name,
    h('p', { class: 'small muted', id: 'install-name-help' }, 'Its address starts with this name. Letters, digits and dashes.'),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: onCancel }, 'Cancel'), install));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    install.disabled = true;
    onInstall(name.value.trim());
  });
  return form;
}

function suggestions(list, pick) {
  if (!list.length) return null;
  return h('section', { 'aria-labelledby': 'suggest-title' },
    h('h2', { id: 'suggest-title' }, 'Published on this node'),
    h('ul', { class: 'suggestions' }, list.map((release) => h('li', { class: 'card' },
      h('div', {}, h('strong', {}, release.discovery?.title || release.app), ' ', h('span', { class: 'version' }, release.version),
        release.discovery?.tagline ? h('div', { class: 'small muted' }, release.discovery.tagline) : null),
      h('button', { type: 'button', onclick: () => pick(release.url) }, 'Check')))));
}

export async function render(view) {
  let file = null;
  const status = h('div', { 'aria-live': 'polite' });
  const stage = h('div', {});
  const url = h('input', { id: 'release-url', type: 'url', name: 'url', placeholder: 'https://node.example/releases/…zip', autocomplete: 'off', 'aria-describedby': 'release-url-help' });
  const picker = h('input', { id: 'release-file', type: 'file', accept: '.zip,application/zip', class: 'visually-hidden' });
  const chosen = h('span', { class: 'muted small', id: 'release-file-name' }, 'No file chosen');
  const drop = h('label', { class: 'dropzone', for: 'release-file' },
    h('strong', {}, 'Choose a release file'), h('span', { class: 'muted small' }, ' or drop it here'), chosen);
  const check = h('button', { class: 'primary', type: 'submit', id: 'release-check' }, 'Check');
  const form = h('form', { class: 'card install-form', 'aria-label': 'Release to install' },
    h('label', { for: 'release-url' }, 'Release link'),
    url,
    h('p', { class: 'small muted', id: 'release-url-help' }, 'The link a publisher shares, ending in /releases/<id>.zip.'),
    h('div', { class: 'or' }, h('span', {}, 'or')),
    picker, drop,
    h('div', { class: 'actions' }, check));

  const choose = (picked) => {
    file = picked || null;
    chosen.textContent = file ? `${file.name} (${Math.round(file.size / 1024)} kB)` : 'No file chosen';
    if (file) url.value = '';
  };
  picker.addEventListener('change', () => choose(picker.files[0]));
  url.addEventListener('input', () => { if (url.value) { file = null; picker.value = ''; chosen.textContent = 'No file chosen'; } });
  for (const name of ['dragenter', 'dragover']) drop.addEventListener(name, (event) => { event.preventDefault(); drop.classList.add('over'); });
  for (const name of ['dragleave', 'drop']) drop.addEventListener(name, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => { event.preventDefault(); choose(event.dataTransfer.files[0]); });

  const request = (extra = '') => (file
    ? { body: file, headers: { 'Content-Type': 'application/zip' }, query: `?file=${encodeURIComponent(file.name)}${extra}` }
    : { json: { url: url.value.trim() }, query: extra ? `?${extra.slice(1)}` : '' });

  const reset = () => { fill(stage); form.hidden = false; check.disabled = false; };

  async function install(name) {
    const { json, body, headers, query } = request(`&name=${encodeURIComponent(name)}`);
    const payload = json ? { ...json, name } : undefined;
    const log = buildLog('Installing');
    fill(stage, log.element);
    let result = null;
    try {
      await streamLines(`install${query}`, { json: payload, body, headers }, (line) => {
        log.line(line);
        if (line.result) result = line.result;
      });
    } catch (error) {
      log.fail(error.message);
      return;
    }
    if (!result) { log.fail(log.error || 'The install stopped without a result.'); return; }
    log.done(`Installed as ${result.slug}`);
    stage.append(h('div', { class: 'card success', id: 'install-success' },
      h('h2', {}, `${result.app} ${result.version} is installed`),
      h('p', {}, 'It has its own address, its own data and its own sandbox: ', h('a', { href: result.open_path }, result.url)),
      h('div', { class: 'actions start' },
        h('a', { class: 'button primary', href: result.open_path, id: 'install-open' }, 'Open'),
        h('a', { class: 'button', href: `/apps/${encodeURIComponent(result.slug)}`, 'data-nav': true, id: 'install-manage' }, 'Manage'))));
    toast(`Installed ${result.slug}`);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fill(status);
    if (!file && !url.value.trim()) {
      fill(status, h('p', { class: 'notice error', role: 'alert', id: 'install-error' }, 'Give a release link or choose a release file.'));
      url.focus();
      return;
    }
    check.disabled = true;
    fill(stage, h('p', { class: 'loading' }, file ? 'Checking the file…' : 'Downloading and checking the release…'));
    try {
      const { json, body, headers, query } = request();
      const inspection = await api(`releases/inspect${query}`, { method: 'POST', json, body, headers });
      form.hidden = true;
      fill(stage, summaryCard(inspection, install, reset));
      stage.querySelector('h2').setAttribute('tabindex', '-1');
      stage.querySelector('h2').focus();
    } catch (error) {
      fill(stage);
      fill(status, h('p', { class: 'notice error', role: 'alert', id: 'install-error' },
        error instanceof APIError && error.status === 400 ? error.message : `This release cannot be installed: ${error.message}`));
      check.disabled = false;
    }
  });

  const suggested = h('div', {});
  fill(view,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Install an app'),
      h('p', { class: 'muted' }, 'From a release link or file. You see who published it and what it asks for before anything runs.'))),
    form, status, stage, suggested);
  url.focus();
  try {
    const response = await fetch('/discover.json', { credentials: 'same-origin' });
    if (response.ok) {
      const listing = await response.json();
      const newest = new Map();
      for (const release of listing.releases || []) if (!newest.has(release.app)) newest.set(release.app, release);
      fill(suggested, suggestions([...newest.values()], (link) => { url.value = link; choose(null); form.hidden = false; form.requestSubmit(); }));
    }
  } catch { /* no suggestions */ }
}
