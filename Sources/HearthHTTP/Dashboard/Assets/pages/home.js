// Home: the space's apps as a launcher, each with its state and last activity.
import { api } from '../api.js';
import { h, fill, ago, appIcon, statusBadge } from '../ui.js';

function card(instance) {
  return h('li', { class: 'card app', dataset: { slug: instance.slug } },
    h('div', { class: 'app-head' },
      appIcon(instance),
      h('div', { style: null },
        h('h2', {}, instance.app),
        h('div', { class: 'host' }, instance.url.replace(/^https?:\/\//, '')))),
    h('div', { class: 'app-meta' },
      statusBadge(instance.status),
      h('span', { title: instance.last_active || instance.installed_at },
        instance.last_active ? `active ${ago(instance.last_active)}` : `installed ${ago(instance.installed_at)}`)),
    h('div', { class: 'app-actions' },
      h('a', { class: 'button primary', href: instance.open_path }, 'Open'),
      h('a', { class: 'button', href: `/apps/${encodeURIComponent(instance.slug)}`, 'data-nav': true }, 'Manage')));
}

export async function render(view) {
  const instances = await api('instances');
  const head = h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, 'Your apps'), h('p', { class: 'muted' },
      instances.length === 1 ? 'One app in this space.' : `${instances.length} apps in this space.`)),
    h('a', { class: 'button primary', href: '/install', 'data-nav': true }, 'Install an app'));
  if (!instances.length) {
    fill(view, head, h('div', { class: 'card empty' },
      h('h2', {}, 'No apps yet'),
      h('p', {}, 'Install an app from a release link another node shares, or from a release file. Each copy gets its own address, its own data and its own sandbox.'),
      h('a', { class: 'button primary', href: '/install', 'data-nav': true }, 'Install your first app')));
    return;
  }
  fill(view, head, h('ul', { class: 'apps', 'aria-label': 'Apps' }, instances.map(card)));
  // Keep states fresh while the page is open.
  const timer = setInterval(async () => {
    try {
      const fresh = await api('instances');
      const list = view.querySelector('.apps');
      if (list) fill(list, fresh.map(card));
    } catch { /* the next tick tries again */ }
  }, 15000);
  return () => clearInterval(timer);
}
