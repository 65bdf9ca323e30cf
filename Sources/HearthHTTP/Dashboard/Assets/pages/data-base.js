// A Base in the data browser: a paged table of its items, a query box in Deta's query
// language, and an editor that shows an item as JSON and checks it before saving.
import { api } from '../api.js';
import { h, fill, toast, confirmDialog } from '../ui.js';

const PAGE = 50;
const MAX_COLUMNS = 6;
const EXAMPLE = '[{"age?gt": 30}, {"name?pfx": "A"}]';

/** A cell's text: strings as they are, everything else as compact JSON, cut short. */
function cellText(value) {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The columns of a page: `key` first, then other fields in order of first appearance. */
function columns(items) {
  const seen = [];
  for (const item of items) for (const name of Object.keys(item)) if (name !== 'key' && !seen.includes(name)) seen.push(name);
  return { shown: ['key', ...seen.slice(0, MAX_COLUMNS)], more: seen.length > MAX_COLUMNS };
}

/** Parses the query box: empty for every item, else a JSON object or list of objects. */
export function parseQuery(text) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  let value;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw new Error(`The query is not valid JSON: ${error.message}`);
  }
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((part) => part && typeof part === 'object' && !Array.isArray(part))) {
    throw new Error('A query is an object of conditions, or a list of them (any may match), e.g. ' + EXAMPLE);
  }
  return list;
}

/** Checks the editor's text; returns the item or throws with what is wrong. */
function parseItem(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Not valid JSON: ${error.message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('An item is a JSON object, e.g. {"title": "hello"}');
  if ('key' in value && value.key !== null && typeof value.key !== 'string') throw new Error('"key" must be a string');
  return value;
}

export function renderBase(panel, instance, base, { onChange }) {
  if (!base) {
    fill(panel, h('div', { class: 'card empty' },
      h('h2', {}, 'No Bases yet'),
      h('p', {}, `A Base is a small database of JSON documents. ${instance.app} creates its Bases when it first stores something; `
        + 'you can also start one with "New Base" and add items yourself.')));
    return null;
  }
  const path = `instances/${encodeURIComponent(instance.id)}/bases/${encodeURIComponent(base)}`;
  const state = { query: [], pages: [null], page: 0 };
  let alive = true;

  const queryInput = h('input', {
    id: 'data-query', name: 'query', type: 'search', placeholder: `e.g. ${EXAMPLE}`, autocomplete: 'off', spellcheck: 'false',
    class: 'mono', 'aria-describedby': 'data-query-help',
  });
  const queryError = h('p', { id: 'data-query-error', class: 'notice error', role: 'alert', hidden: true });
  const table = h('div', { class: 'data-items', 'aria-live': 'polite' });
  const pager = h('div', { class: 'data-pager' });
  const queryForm = h('form', { class: 'data-query', role: 'search', onsubmit: (event) => { event.preventDefault(); runQuery(); } },
    h('label', { for: 'data-query' }, 'Query'),
    h('div', { class: 'row' }, queryInput,
      h('button', { type: 'submit' }, 'Run'),
      h('button', { type: 'button', onclick: () => { queryInput.value = ''; runQuery(); } }, 'Clear')),
    h('p', { id: 'data-query-help', class: 'muted small' },
      'Deta\'s query language: ', h('code', {}, '{"field": value}'), ' matches equal values; suffixes like ',
      h('code', {}, '?gt'), ', ', h('code', {}, '?lt'), ', ', h('code', {}, '?contains'), ', ', h('code', {}, '?pfx'), ', ',
      h('code', {}, '?r'), ' compare; a list of objects matches any of them. Empty shows every item.'),
    queryError);

  fill(panel,
    h('div', { class: 'data-head' },
      h('h2', {}, 'Items of ', h('span', { class: 'mono' }, base)),
      h('button', { type: 'button', class: 'primary', id: 'data-add-item', onclick: () => editItem(null) }, 'Add item')),
    queryForm, table, pager);

  function showQueryError(message) {
    queryError.hidden = !message;
    queryError.textContent = message || '';
    queryInput.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function runQuery() {
    try {
      state.query = parseQuery(queryInput.value);
    } catch (error) {
      showQueryError(error.message);
      return;
    }
    showQueryError(null);
    state.pages = [null];
    state.page = 0;
    load();
  }

  async function load() {
    const body = { query: state.query, limit: PAGE };
    if (state.pages[state.page]) body.last = state.pages[state.page];
    let answer;
    try {
      answer = await api(`${path}/query`, { method: 'POST', json: body });
    } catch (error) {
      if (!alive) return;
      if (error.status === 400) showQueryError(`The node refused the query: ${error.message}. Conditions look like {"field": value} or {"field?op": value}, with op one of gt, gte, lt, lte, ne, pfx, r, contains, not_contains.`);
      else fill(table, h('p', { class: 'notice error', role: 'alert' }, `Could not read the items: ${error.message}`));
      fill(pager);
      return;
    }
    if (!alive) return;
    state.pages[state.page + 1] = answer.paging.last || undefined;
    drawItems(answer.items, Boolean(answer.paging.last));
  }

  function drawItems(items, more) {
    if (!items.length) {
      const filtered = state.query.length > 0;
      fill(table, h('div', { class: 'card empty data-empty' },
        h('h3', {}, filtered ? 'No items match' : 'This Base is empty'),
        h('p', {}, filtered ? 'No item matches the query. Change it, or clear it to see every item.'
          : 'Items are JSON documents with a unique "key". Add one, or use the app and come back.')));
      fill(pager);
      return;
    }
    const { shown, more: moreColumns } = columns(items);
    const rows = items.map((item) => {
      const open = () => editItem(item);
      return h('tr', { class: 'clickable', dataset: { key: item.key }, onclick: (event) => { if (!event.target.closest('button')) open(); } },
        shown.map((name, index) => {
          const text = cellText(item[name]);
          if (index === 0) return h('th', { scope: 'row', class: 'cell' }, h('button', { type: 'button', class: 'link mono', onclick: open, title: `Open ${item.key}` }, text));
          return h('td', { class: 'cell', title: text.length > 40 ? text : null }, text);
        }),
        moreColumns ? h('td', { class: 'cell muted' }, '…') : null);
    });
    fill(table, h('div', { class: 'table-wrap' }, h('table', { id: 'data-items-table' },
      h('caption', { class: 'visually-hidden' }, `Items of ${base}; open one to see it whole and edit it`),
      h('thead', {}, h('tr', {}, shown.map((name) => h('th', { scope: 'col' }, name)), moreColumns ? h('th', { scope: 'col' }, 'more fields') : null)),
      h('tbody', {}, rows))));
    const first = state.page * PAGE + 1;
    fill(pager,
      h('span', { class: 'muted small' }, `Items ${first}–${first + items.length - 1}`),
      h('div', { class: 'row' },
        h('button', { type: 'button', disabled: state.page === 0, onclick: () => { state.page -= 1; load(); } }, '← Previous'),
        h('button', { type: 'button', disabled: !more, onclick: () => { state.page += 1; load(); } }, 'Next →')));
  }

  function editItem(item) {
    const creating = item === null;
    const text = creating ? '{\n  "key": "",\n  "title": "hello"\n}' : JSON.stringify(item, null, 2);
    const area = h('textarea', { id: 'item-json', name: 'item', spellcheck: 'false', autocomplete: 'off', rows: 14,
      'aria-describedby': 'item-help item-error' }, text);
    const error = h('p', { id: 'item-error', class: 'notice error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'primary', id: 'item-save' }, creating ? 'Add' : 'Save');
    const remove = creating ? null : h('button', { type: 'button', class: 'danger', id: 'item-delete', onclick: () => removeItem() }, 'Delete');
    const form = h('form', { method: 'dialog', onsubmit: (event) => { event.preventDefault(); submit(); } },
      h('h2', { id: 'item-title' }, creating ? `New item in ${base}` : h('span', {}, 'Item ', h('span', { class: 'mono' }, item.key))),
      h('label', { for: 'item-json' }, 'Item as JSON'), area,
      h('p', { id: 'item-help', class: 'muted small' }, creating
        ? 'Leave "key" empty to get a generated one. Fields may hold text, numbers, true/false, null, lists and objects.'
        : 'Edit and save to replace the item. "__expires" (Unix seconds) makes an item expire.'),
      error,
      h('div', { class: 'actions' }, remove, h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), save));
    const dialog = h('dialog', { class: 'data-editor', 'aria-labelledby': 'item-title' }, form);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    area.focus();

    const showError = (message) => {
      error.hidden = !message;
      error.textContent = message || '';
      area.setAttribute('aria-invalid', message ? 'true' : 'false');
    };
    let timer = null;
    area.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          parseItem(area.value);
          showError(null);
        } catch (problem) {
          showError(problem.message);
        }
      }, 400);
    });

    async function submit() {
      clearTimeout(timer);
      let value;
      try {
        value = parseItem(area.value);
      } catch (problem) {
        showError(problem.message);
        area.focus();
        return;
      }
      save.disabled = true;
      try {
        let saved;
        if (creating) {
          if (value.key === '') delete value.key;
          saved = await api(`${path}/items`, { method: 'POST', json: value });
        } else {
          saved = await api(`${path}/items/${encodeURIComponent(item.key)}`, { method: 'PUT', json: value });
        }
        dialog.close();
        toast(creating ? `Added ${saved.key}` : `Saved ${saved.key}`);
        load();
        onChange();
      } catch (problem) {
        showError(problem.status === 409 ? `An item with key "${value.key}" already exists. Open it to edit it, or choose another key.` : problem.message);
      } finally {
        save.disabled = false;
      }
    }

    async function removeItem() {
      const sure = await confirmDialog({ title: 'Delete this item?', text: `The item "${item.key}" is removed from ${base} for good. The app will no longer find it.`, confirm: 'Delete', danger: true });
      if (!sure) return;
      try {
        await api(`${path}/items/${encodeURIComponent(item.key)}`, { method: 'DELETE' });
        dialog.close();
        toast(`Deleted ${item.key}`);
        load();
        onChange();
      } catch (problem) {
        showError(problem.message);
      }
    }
  }

  load();
  return () => { alive = false; };
}
