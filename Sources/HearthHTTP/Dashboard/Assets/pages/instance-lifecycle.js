// The lifecycle part of an app's overview: updates from where it was installed, rollback,
// export of its data, and uninstall (with an export first, and its name typed).
import { api, streamLines } from '../api.js';
import { h, fill, toast, bytes } from '../ui.js';
import { navigate } from '../app.js';
import { buildLog } from './build-log.js';
import { download, stamp } from './download.js';

const reload = () => navigate(location.pathname, { replace: true });

async function exportData(instance, button) {
  button.disabled = true;
  const label = button.textContent;
  button.textContent = 'Preparing…';
  try {
    const blob = await download(`instances/${instance.id}/export`, `${instance.slug}-${stamp()}.zip`);
    toast(`Exported ${instance.slug} (${bytes(blob.size)})`);
    return true;
  } catch (error) {
    toast(`Export failed: ${error.message}`, 'error');
    return false;
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function uninstallDialog(instance) {
  const typed = h('input', { id: 'uninstall-confirm', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'uninstall-help' });
  const remove = h('button', { class: 'danger solid', type: 'submit', disabled: true, id: 'uninstall-go' }, 'Uninstall');
  const exportFirst = h('button', { type: 'button', id: 'uninstall-export' }, 'Export first');
  const error = h('div', { 'aria-live': 'assertive' });
  const dialog = h('dialog', { 'aria-labelledby': 'uninstall-title', class: 'uninstall' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'uninstall-title' }, `Uninstall ${instance.slug}?`),
      h('p', {}, 'This deletes the app and all its data — every Base item and Drive file — from this node. It cannot be undone.'),
      h('div', { class: 'notice' }, h('p', {}, 'Keep a copy: the export holds its Bases and Drives, and installing the app again can import it.'), exportFirst),
      h('label', { for: 'uninstall-confirm' }, 'Type ', h('code', {}, instance.slug), ' to confirm'),
      typed, h('p', { class: 'small muted', id: 'uninstall-help' }, 'Its name, as in its address.'), error,
      h('div', { class: 'actions' }, h('button', { value: 'cancel', formnovalidate: true }, 'Cancel'), remove)));
  typed.addEventListener('input', () => { remove.disabled = typed.value.trim() !== instance.slug; });
  exportFirst.addEventListener('click', () => exportData(instance, exportFirst));
  dialog.querySelector('form').addEventListener('submit', async (event) => {
    if (event.submitter !== remove) return;
    event.preventDefault();
    remove.disabled = true;
    try {
      await api(`instances/${instance.id}/uninstall`, { method: 'POST', json: { confirm: typed.value.trim() } });
      dialog.close();
      toast(`Uninstalled ${instance.slug}`);
      navigate('/');
    } catch (failure) {
      fill(error, h('p', { class: 'notice error', role: 'alert' }, failure.message));
      remove.disabled = false;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  typed.focus();
}

async function runUpdate(instance, url, area) {
  const log = buildLog(`Updating to ${url.split('/').pop()}`);
  fill(area, log.element);
  let result = null;
  try {
    await streamLines(`instances/${instance.id}/update`, { json: { url } }, (line) => {
      log.line(line);
      if (line.result) result = line.result;
    });
  } catch (error) {
    log.fail(error.message);
    return;
  }
  if (!result) { log.fail(log.error || 'The update stopped without a result.'); return; }
  log.done(`Now at ${result.version}`);
  toast(`${instance.slug} is now at ${result.version}`);
  setTimeout(reload, 1200);
}

async function checkUpdates(instance, box, area) {
  try {
    const answer = await api(`instances/${instance.id}/update`);
    if (answer.available) {
      const button = h('button', { class: 'primary', id: 'update-go' }, `Update to ${answer.version}`);
      button.addEventListener('click', () => { button.disabled = true; runUpdate(instance, answer.url, area); });
      fill(box, h('div', { class: 'update-available', id: 'update-available' },
        h('div', {}, h('strong', {}, `Update available: ${answer.version}`),
          h('div', { class: 'small muted' }, `You have ${answer.current}. From ${answer.checked}.`),
          answer.notes ? h('p', { class: 'notes' }, answer.notes) : null),
        button));
    } else {
      fill(box, h('p', { class: 'muted', id: 'update-none' }, answer.reason || `Up to date: ${answer.current} is the newest release on ${answer.checked}.`));
    }
  } catch (error) {
    fill(box, h('p', { class: 'muted' }, `Could not look for updates: ${error.message}`));
  }
}

/** The lifecycle section for `instance`, below its facts. */
export function lifecycle(instance) {
  const updates = h('div', { class: 'update-box' }, h('p', { class: 'loading' }, 'Looking for updates…'));
  const area = h('div', {});
  const rollback = instance.previous_version
    ? h('button', { id: 'rollback-go' }, `Roll back to ${instance.previous_version}`)
    : null;
  rollback?.addEventListener('click', async () => {
    rollback.disabled = true;
    try {
      const rolled = await api(`instances/${instance.id}/rollback`, { method: 'POST' });
      toast(`${instance.slug} is back at ${rolled.version}`);
      reload();
    } catch (error) {
      toast(error.message, 'error');
      rollback.disabled = false;
    }
  });
  const exportButton = h('button', { id: 'export-go' }, 'Export data');
  exportButton.addEventListener('click', () => exportData(instance, exportButton));
  const uninstall = h('button', { class: 'danger', id: 'uninstall-open' }, 'Uninstall…');
  uninstall.addEventListener('click', () => uninstallDialog(instance));
  checkUpdates(instance, updates, area);
  return h('section', { class: 'lifecycle', 'aria-label': 'Version, export and removal' },
    h('h2', {}, 'Version'),
    h('div', { class: 'card' }, updates,
      rollback ? h('div', { class: 'row split' },
        h('span', { class: 'small muted' }, `The version before the last update, ${instance.previous_version}, is kept: returning to it takes a moment and keeps the data.`),
        rollback) : null),
    area,
    h('h2', {}, 'Data and removal'),
    h('div', { class: 'card lifecycle-actions' },
      h('div', { class: 'row split' }, h('span', {}, h('strong', {}, 'Export'), h('span', { class: 'small muted' }, ' — its Bases and Drives as one zip, the layout Deta uses.')), exportButton),
      h('div', { class: 'row split' }, h('span', {}, h('strong', {}, 'Uninstall'), h('span', { class: 'small muted' }, ' — removes the app and its data from this node.')), uninstall)));
}
