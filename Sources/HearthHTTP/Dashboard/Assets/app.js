// The dashboard's entry: a small router over the History API. Each page is a module with
// `render(view, params)`, which may return a function that ends what it started (a stream).
import { h, fill } from './ui.js';

const routes = [
  { pattern: /^\/$/, page: () => import('./pages/home.js'), nav: '/' },
  { pattern: /^\/apps\/([^/]+)(?:\/([a-z]+))?\/?$/, page: () => import('./pages/instance.js'), nav: '/' },
  { pattern: /^\/install\/?$/, page: () => import('./pages/install.js'), nav: '/install' },
  { pattern: /^\/space\/?$/, page: () => import('./pages/space.js'), nav: '/space' },
];

const view = document.getElementById('view');
let ending = null;

async function show(path) {
  if (ending) {
    ending();
    ending = null;
  }
  const route = routes.find((candidate) => candidate.pattern.test(path));
  for (const link of document.querySelectorAll('.topbar nav a')) {
    if (link.getAttribute('href') === route?.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!route) {
    fill(view, h('h1', {}, 'Not found'), h('p', {}, 'There is no page at this address. '), h('a', { href: '/', 'data-nav': true }, 'Back to your apps'));
    return;
  }
  const params = path.match(route.pattern).slice(1).map((part) => part && decodeURIComponent(part));
  try {
    const module = await route.page();
    ending = (await module.render(view, params)) || null;
  } catch (error) {
    fill(view, h('h1', {}, 'Something went wrong'), h('p', { class: 'notice error' }, error.message));
  }
  view.focus({ preventScroll: true });
}

/** Goes to a path of the dashboard without reloading. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  show(location.pathname);
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', () => show(location.pathname));
show(location.pathname);
