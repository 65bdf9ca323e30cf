import { api } from './api.js';

// Small helpers for building the dashboard's pages: DOM nodes (never HTML strings, so data
// from apps cannot become markup), notices, dialogs and human-readable figures.

/** Makes an element: `h('a', { href, class: 'x', onclick }, 'text', child)`. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A short message at the corner of the screen. */
export function toast(message, kind = 'info') {
  const item = h('div', { class: `toast ${kind}` }, message);
  document.getElementById('toasts').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Asks before something that cannot be undone; resolves to true when confirmed. */
export function confirmDialog({ title, text, confirm = 'Confirm', danger = false, body = null }) {
  return new Promise((resolve) => {
    const yes = h('button', { class: danger ? 'danger solid' : 'primary', value: 'yes' }, confirm);
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, title), text ? h('p', {}, text) : null, body,
        h('div', { class: 'actions' }, h('button', { value: 'no' }, 'Cancel'), yes)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** `1.2 MB` for a byte count. */
export function bytes(count) {
  if (count === undefined || count === null) return '–';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${count} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `3 minutes ago` for an ISO 8601 time; `never` without one. */
export function ago(time) {
  if (!time) return 'never';
  const seconds = Math.round((Date.now() - new Date(time).getTime()) / 1000);
  const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
  let value = Math.max(seconds, 0);
  for (const [size, unit] of steps) {
    if (value < size) return value <= 1 && unit === 'second' ? 'just now' : `${value} ${unit}${value === 1 ? '' : 's'} ago`;
    value = Math.floor(value / size);
  }
  return '';
}

/** An app's icon (fetched through the API, which needs the dashboard's header), or its first
 *  letter when it has none. */
export function appIcon(instance) {
  const letter = h('span', { class: 'icon', 'aria-hidden': 'true' }, (instance.app || '?').slice(0, 1).toUpperCase());
  if (!instance.has_icon) return letter;
  api(`instances/${instance.id}/icon`, { blob: true }).then((blob) => {
    letter.replaceWith(h('img', { class: 'icon', src: URL.createObjectURL(blob), alt: '', width: 48, height: 48 }));
  }).catch(() => { /* the letter stays */ });
  return letter;
}

/** A version as people read it: a release's own, or when a local build was made. */
export function versionText(version) {
  const local = /^local-(\d+)$/.exec(version || '');
  return local ? `local build of ${new Date(Number(local[1]) * 1000).toLocaleString()}` : version;
}

/** A status badge: running, asleep, crashed or installing. */
export function statusBadge(status) {
  const words = { running: 'Running', asleep: 'Asleep', crashed: 'Crashed', installing: 'Installing' };
  return h('span', { class: `badge ${status}`, title: status }, words[status] || status);
}
