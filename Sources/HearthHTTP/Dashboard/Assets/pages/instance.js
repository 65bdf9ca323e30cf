// One app: its overview and, as tabs, its data, logs and settings (each its own module).
import { api } from '../api.js';
import { h, fill, ago, appIcon, statusBadge, versionText } from '../ui.js';
import { lifecycle } from './instance-lifecycle.js';

const tabs = [
  { id: '', label: 'Overview' },
  { id: 'data', label: 'Data', page: () => import('./instance-data.js') },
  { id: 'logs', label: 'Logs', page: () => import('./instance-logs.js') },
  { id: 'settings', label: 'Settings', page: () => import('./instance-settings.js') },
];

function overview(instance) {
  const micros = instance.micros.map((micro) => h('tr', {},
    h('td', {}, micro.name, micro.primary ? h('span', { class: 'muted small' }, ' (primary)') : null),
    h('td', {}, micro.engine), h('td', { class: 'mono' }, micro.path),
    h('td', {}, instance.running.includes(micro.name) ? 'running' : 'asleep'),
    h('td', {}, micro.public_routes.length ? micro.public_routes.join(', ') : h('span', { class: 'muted' }, 'none'))));
  return [
    h('dl', { class: 'facts card' },
      h('dt', {}, 'Address'), h('dd', {}, h('a', { href: instance.open_path }, instance.url)),
      h('dt', {}, 'Version'), h('dd', {}, versionText(instance.version), instance.previous_version ? h('span', { class: 'muted' }, ` (before: ${versionText(instance.previous_version)})`) : null),
      h('dt', {}, 'Installed from'), h('dd', { class: 'mono' }, instance.source),
      h('dt', {}, 'Last activity'), h('dd', {}, ago(instance.last_active)),
      instance.last_error ? [h('dt', {}, 'Last error'), h('dd', { class: 'notice error' }, `${instance.last_error.message} (${ago(instance.last_error.at)})`)] : null),
    h('h2', {}, 'Micros'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Micro', 'Engine', 'Path', 'State', 'Public routes'].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, micros))),
  ];
}

export async function render(view, [slug, tab = '']) {
  const instance = await api(`instances/${encodeURIComponent(slug)}`);
  const current = tabs.find((candidate) => candidate.id === tab) || tabs[0];
  const base = `/apps/${encodeURIComponent(instance.slug)}`;
  const body = h('section', { 'aria-label': current.label });
  fill(view,
    h('p', { class: 'small' }, h('a', { href: '/', 'data-nav': true }, '← All apps')),
    h('div', { class: 'page-head' },
      h('div', { class: 'app-head' }, appIcon(instance),
        h('div', {}, h('h1', {}, instance.app), h('div', { class: 'row' }, statusBadge(instance.status), h('span', { class: 'muted small' }, instance.slug)))),
      h('a', { class: 'button primary', href: instance.open_path }, 'Open app')),
    h('nav', { class: 'tabs', 'aria-label': 'App sections' }, tabs.map((candidate) =>
      h('a', { href: candidate.id ? `${base}/${candidate.id}` : base, 'data-nav': true, 'aria-current': candidate === current ? 'page' : null }, candidate.label))),
    body);
  if (!current.page) {
    fill(body, overview(instance), lifecycle(instance));
    return;
  }
  const module = await current.page();
  return module.render(body, instance);
}
