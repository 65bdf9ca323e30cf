// The Data tab of an app: the instance's Bases (documents) and Drives (files), browsed and
// edited through the owner API. Which Base or Drive is open lives in the address's query
// (`?base=notes`, `?drive=files&folder=photos/`), so a reload or a shared link shows the same.
import { api } from '../api.js';
import { h, fill, bytes } from '../ui.js';
import { renderBase } from './data-base.js';
import { renderDrive } from './data-drive.js';

function setQuery(values) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  const text = query.toString();
  history.replaceState(null, '', location.pathname + (text ? `?${text}` : ''));
}

/** Asks for the name of a new Base or Drive; resolves to it, or null. */
function askName(kind) {
  return new Promise((resolve) => {
    const input = h('input', { id: 'new-name', name: 'name', required: true, maxlength: 256, autocomplete: 'off', spellcheck: 'false' });
    const dialog = h('dialog', { class: 'data-name', 'aria-labelledby': 'new-name-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'new-name-title' }, `New ${kind}`),
        h('p', { class: 'muted small' }, kind === 'Base'
          ? 'A Base is created when its first item is saved. Apps open Bases by name, e.g. deta.Base("notes").'
          : 'A Drive is created when its first file is uploaded. Apps open Drives by name, e.g. deta.Drive("photos").'),
        h('label', { for: 'new-name' }, 'Name'), input,
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), h('button', { class: 'primary', value: 'yes' }, 'Open'))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes' && input.value.trim() ? input.value.trim() : null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export async function render(section, instance) {
  const summary = await api(`instances/${encodeURIComponent(instance.id)}/data`);
  const params = new URLSearchParams(location.search);
  const state = {
    kind: params.has('drive') || (!params.has('base') && !summary.bases.length && summary.drives.length) ? 'drive' : 'base',
    base: params.get('base') || summary.bases[0]?.name || null,
    drive: params.get('drive') || summary.drives[0]?.name || null,
    folder: params.get('folder') || '',
  };
  let ending = null;
  const panel = h('div', { class: 'data-panel', id: 'data-panel' });
  const chrome = h('div', {});

  // After a change: new figures in the tabs and pickers; the open table or folder stays.
  async function refreshSummary() {
    try {
      Object.assign(summary, await api(`instances/${encodeURIComponent(instance.id)}/data`));
    } catch { /* keep the last known figures */ }
    drawChrome();
  }

  function picker(kind) {
    const list = kind === 'base' ? summary.bases : summary.drives;
    const current = state[kind];
    const names = list.map((entry) => entry.name);
    if (current && !names.includes(current)) names.push(current);
    const label = kind === 'base' ? 'Base' : 'Drive';
    const select = h('select', { id: `${kind}-picker`, onchange: () => { state[kind] = select.value; state.folder = ''; draw(); } },
      names.map((name) => {
        const entry = list.find((candidate) => candidate.name === name);
        const figure = !entry ? 'new' : kind === 'base' ? `${entry.items} item${entry.items === 1 ? '' : 's'}` : `${entry.files} file${entry.files === 1 ? '' : 's'}, ${bytes(entry.bytes)}`;
        return h('option', { value: name, selected: name === current }, `${name} (${figure})`);
      }));
    return h('div', { class: 'data-picker' },
      names.length ? [h('label', { for: `${kind}-picker` }, label), select] : null,
      h('button', { type: 'button', onclick: async () => {
        const name = await askName(label);
        if (!name) return;
        state[kind] = name;
        state.folder = '';
        draw();
      } }, `New ${label}`));
  }

  function drawChrome() {
    const tab = (kind, label, count) => h('button', {
      type: 'button', role: 'tab', id: `data-tab-${kind}`, 'aria-selected': String(state.kind === kind), 'aria-controls': 'data-panel',
      class: state.kind === kind ? 'current' : null, onclick: () => { state.kind = kind; draw(); },
    }, label, h('span', { class: 'count' }, String(count)));
    const kinds = h('div', { class: 'data-kinds', role: 'tablist', 'aria-label': 'Kind of data' },
      tab('base', 'Bases', summary.bases.length), tab('drive', 'Drives', summary.drives.length));
    const nothing = !summary.bases.length && !summary.drives.length;
    const intro = nothing ? h('div', { class: 'notice data-intro' },
      h('strong', {}, `${instance.app} has not stored any data yet. `),
      'When it saves something, it shows up here: ', h('b', {}, 'Bases'), ' hold JSON documents (items), ',
      h('b', {}, 'Drives'), ' hold files. You can also add items or upload files yourself.') : null;
    fill(chrome, intro, kinds, h('div', { class: 'data-toolbar' }, picker(state.kind)));
  }

  function draw() {
    if (ending) ending();
    ending = null;
    drawChrome();
    if (!section.contains(panel)) fill(section, chrome, panel);
    panel.setAttribute('aria-labelledby', `data-tab-${state.kind}`);
    panel.setAttribute('role', 'tabpanel');
    if (state.kind === 'base') {
      setQuery({ base: state.base });
      ending = renderBase(panel, instance, state.base, { onChange: refreshSummary });
    } else {
      setQuery({ drive: state.drive, folder: state.folder });
      ending = renderDrive(panel, instance, state.drive, state.folder, {
        onChange: refreshSummary,
        onFolder: (folder) => { state.folder = folder; setQuery({ drive: state.drive, folder }); },
      });
    }
  }

  draw();
  return () => { if (ending) ending(); };
}
