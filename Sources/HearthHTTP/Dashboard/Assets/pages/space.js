// The space: who is signed in (and ending that), owner tokens for the CLI, export and import
// of the whole space, and what the node is.
import { api, streamLines } from '../api.js';
import { h, fill, toast, ago, bytes, confirmDialog } from '../ui.js';
import { buildLog } from './build-log.js';
import { download, stamp } from './download.js';

/** "Firefox on Linux" from a user agent; the raw string stays in the title. */
function browser(agent) {
  if (!agent) return 'Unknown';
  const name = /Edg\//.test(agent) ? 'Edge' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Firefox\//.test(agent) ? 'Firefox'
    : /Safari\//.test(agent) ? 'Safari' : /curl|python|hearth/i.test(agent) ? agent.split(/[ /]/)[0] : 'A browser';
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Mac OS X/.test(agent) ? 'macOS'
    : /Windows/.test(agent) ? 'Windows' : /Linux/.test(agent) ? 'Linux' : '';
  return system ? `${name} on ${system}` : name;
}

const when = (time) => h('time', { datetime: time, title: new Date(time).toLocaleString() }, ago(time));

async function sessions(box) {
  const list = await api('space/sessions');
  const rows = list.map((session) => {
    const revoke = h('button', { class: 'danger small-button', dataset: { session: session.id } }, session.current ? 'Sign out here' : 'Revoke');
    revoke.addEventListener('click', async () => {
      if (session.current && !await confirmDialog({ title: 'End this session?', text: 'This is the browser you are using: ending its session signs you out here.', confirm: 'Sign out', danger: true })) return;
      revoke.disabled = true;
      try {
        const answer = await api(`space/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
        if (answer.current) { location.assign('/login'); return; }
        toast('Session ended: that browser is signed out');
        sessions(box);
      } catch (error) {
        toast(error.message, 'error');
        revoke.disabled = false;
      }
    });
    return h('tr', { dataset: { session: session.id } },
      h('td', {}, h('span', { title: session.agent }, browser(session.agent)), session.current ? h('span', { class: 'badge running here' }, 'This browser') : null),
      h('td', { class: 'mono', dataset: { label: 'Address' } }, session.address || '–'),
      h('td', { dataset: { label: 'Signed in' } }, when(session.created_at)),
      h('td', { dataset: { label: 'Last seen' } }, when(session.last_seen_at)),
      h('td', { class: 'end' }, revoke));
  });
  fill(box, h('div', { class: 'table-wrap' }, h('table', { id: 'sessions' },
    h('caption', { class: 'visually-hidden' }, 'Signed-in browsers'),
    h('thead', {}, h('tr', {}, ['Browser', 'Address', 'Signed in', 'Last seen', ''].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rows))));
}

async function tokens(box, shown) {
  const list = await api('space/tokens');
  const rows = list.map((token) => {
    const remove = h('button', { class: 'danger small-button' }, 'Remove');
    remove.addEventListener('click', async () => {
      if (!await confirmDialog({ title: `Remove the token “${token.name}”?`, text: 'Programs using it stop working at once.', confirm: 'Remove', danger: true })) return;
      try {
        await api(`space/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
        toast(`Removed ${token.name}`);
        tokens(box, shown);
      } catch (error) { toast(error.message, 'error'); }
    });
    return h('tr', { dataset: { token: token.name } }, h('td', {}, token.name), h('td', { dataset: { label: 'Created' } }, when(token.created_at)),
      h('td', { dataset: { label: 'Last used' } }, token.last_used_at ? when(token.last_used_at) : h('span', { class: 'muted' }, 'never')), h('td', { class: 'end' }, remove));
  });
  const name = h('input', { id: 'token-name', name: 'name', placeholder: 'laptop', required: true, maxlength: 64, autocomplete: 'off' });
  const form = h('form', { class: 'row token-form' }, h('label', { for: 'token-name', class: 'visually-hidden' }, 'Token name'), name,
    h('button', { class: 'primary', type: 'submit', id: 'token-create' }, 'Create token'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api('space/tokens', { method: 'POST', json: { name: name.value.trim() } });
      const secret = h('code', { class: 'secret', id: 'token-secret' }, created.token);
      const copy = h('button', { type: 'button' }, 'Copy');
      copy.addEventListener('click', async () => {
        try { await navigator.clipboard.writeText(created.token); toast('Copied'); } catch {
          getSelection().selectAllChildren(secret); toast('Selected: copy it with your keyboard');
        }
      });
      fill(shown, h('div', { class: 'notice ok token-once', role: 'status' },
        h('p', {}, h('strong', {}, `Token “${created.name}” created. `), 'Copy it now: it is shown only once.'),
        h('div', { class: 'row' }, secret, copy),
        h('p', { class: 'small' }, 'Use it with ', h('code', {}, `hearth login ${location.origin}`), ' or as ', h('code', {}, 'Authorization: Bearer <token>'), '.')));
      tokens(box, shown);
    } catch (error) { toast(error.message, 'error'); }
  });
  fill(box,
    list.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'tokens' },
      h('caption', { class: 'visually-hidden' }, 'Owner tokens'),
      h('thead', {}, h('tr', {}, ['Name', 'Created', 'Last used', ''].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows))) : h('p', { class: 'muted' }, 'No tokens yet.'),
    form);
}

function importForm(space) {
  const file = h('input', { id: 'import-file', type: 'file', accept: '.zip,application/zip', required: true });
  const name = h('input', { id: 'import-space', required: true, pattern: '[a-z0-9][a-z0-9-]*', maxlength: 40, autocomplete: 'off', placeholder: `${space}-copy` });
  const owner = h('input', { id: 'import-owner', autocomplete: 'off', placeholder: 'optional' });
  const passphrase = h('input', { id: 'import-passphrase', type: 'password', autocomplete: 'new-password' });
  const go = h('button', { class: 'primary', type: 'submit', id: 'import-go' }, 'Import');
  const result = h('div', {});
  const form = h('form', { class: 'card import-form' },
    h('p', {}, 'Recreates every app of a space archive, with its settings and data, as a new space on this node. Your space stays as it is.'),
    h('label', { for: 'import-file' }, 'Space archive'), file,
    h('label', { for: 'import-space' }, 'New space name'), name,
    h('div', { class: 'grid-2' },
      h('div', {}, h('label', { for: 'import-owner' }, 'Its owner’s user name'), owner),
      h('div', {}, h('label', { for: 'import-passphrase' }, 'Passphrase'), passphrase)),
    h('p', { class: 'small muted' }, 'With an owner, you can sign in to the new space. Without one, the node’s operator adds one later.'),
    h('div', { class: 'actions start' }, go), result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!file.files[0]) return;
    go.disabled = true;
    const query = `space=${encodeURIComponent(name.value.trim())}` + (owner.value.trim() ? `&owner=${encodeURIComponent(owner.value.trim())}` : '');
    const headers = { 'Content-Type': 'application/zip' };
    if (owner.value.trim()) headers['X-Hearth-Passphrase'] = passphrase.value;
    const log = buildLog('Importing');
    fill(result, log.element);
    let summary = null;
    try {
      await streamLines(`space/import?${query}`, { body: file.files[0], headers }, (line) => {
        log.line(line);
        if (line.result) summary = line.result;
      });
    } catch (error) {
      log.fail(error.message);
      go.disabled = false;
      return;
    }
    go.disabled = false;
    if (!summary) { log.fail(log.error || 'The import stopped without a result.'); return; }
    log.done(`Imported space ${summary.space}`);
    result.append(h('div', { class: 'notice ok', id: 'import-result' },
      h('p', {}, h('strong', {}, `Space “${summary.space}” is ready: `), `${summary.instances.length} apps, ${summary.items} items, ${summary.files} files.`),
      h('ul', {}, summary.instances.map((instance) => h('li', {}, h('a', { href: instance.url }, instance.slug), ` — ${instance.app_name} ${instance.version}`,
        instance.app_keys_to_create.length ? h('span', { class: 'small' }, ` (create its app keys again: ${instance.app_keys_to_create.join(', ')})`) : null))),
      summary.collections.length ? h('p', { class: 'small' }, 'Collections and their new data keys (shown only now): ',
        summary.collections.map((collection) => h('code', {}, `${collection.name} ${collection.data_key} `))) : null,
      h('p', { class: 'small' }, summary.owner ? `Sign in to it as ${summary.owner}.` : 'It has no owner yet.')));
  });
  return form;
}

function node(info) {
  return h('dl', { class: 'facts card', id: 'node-facts' },
    h('dt', {}, 'Address'), h('dd', {}, h('a', { href: info.dashboard }, info.dashboard)),
    h('dt', {}, 'Apps at'), h('dd', { class: 'mono' }, `${info.scheme}://<name>.${info.domain}${[80, 443].includes(info.port) ? '' : `:${info.port}`}`),
    h('dt', {}, 'Connection'), h('dd', {}, info.scheme === 'https' ? 'HTTPS (TLS)' : 'Plain HTTP — fine on your own machine, not across a network'),
    h('dt', {}, 'Sandbox'), h('dd', {}, info.sandboxed
      ? h('span', { class: 'badge running' }, 'On: each app runs in its own sandbox')
      : h('span', { class: 'badge crashed' }, 'Off: apps run as ordinary processes')),
    h('dt', {}, 'Apps'), h('dd', {}, `${info.instances} in this space, ${info.node_instances} on the node`),
    h('dt', {}, 'Free disk'), h('dd', {}, info.free_bytes === null || info.free_bytes === undefined ? 'unknown' : bytes(info.free_bytes)));
}

export async function render(view) {
  const me = await api('space');
  const sessionBox = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  const tokenBox = h('div', {});
  const shown = h('div', {});
  const nodeBox = h('div', {});
  const exportButton = h('button', { id: 'space-export' }, 'Download the space');
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    exportButton.textContent = 'Preparing…';
    try {
      const blob = await download('space/export', `space-${me.space}-${stamp()}.zip`);
      toast(`Exported the space (${bytes(blob.size)})`);
    } catch (error) { toast(`Export failed: ${error.message}`, 'error'); }
    exportButton.disabled = false;
    exportButton.textContent = 'Download the space';
  });
  fill(view,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Your space'),
      h('p', { class: 'muted' }, `Space “${me.space}”`, me.username ? `, owned by ${me.username}` : '', '.'))),
    h('section', { 'aria-labelledby': 'sessions-title' }, h('h2', { id: 'sessions-title' }, 'Signed-in browsers'),
      h('p', { class: 'muted small' }, 'Revoking a session signs that browser out, and its open apps with it.'), sessionBox),
    h('section', { 'aria-labelledby': 'tokens-title' }, h('h2', { id: 'tokens-title' }, 'Owner tokens'),
      h('p', { class: 'muted small' }, 'For the hearth command on another machine (push, release) and for scripts. Each can do everything you can.'),
      shown, tokenBox),
    h('section', { 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, 'Export the space'),
      h('div', { class: 'card row split' }, h('span', {}, 'Every app with its release, settings, limits and data, in one archive another node can import.'), exportButton)),
    h('section', { 'aria-labelledby': 'import-title' }, h('h2', { id: 'import-title' }, 'Import a space'), importForm(me.space)),
    h('section', { 'aria-labelledby': 'node-title' }, h('h2', { id: 'node-title' }, 'This node'), nodeBox));
  await Promise.all([
    sessions(sessionBox).catch((error) => fill(sessionBox, h('p', { class: 'notice error' }, error.message))),
    tokens(tokenBox, shown).catch((error) => fill(tokenBox, h('p', { class: 'notice error' }, error.message))),
    api('node').then((info) => fill(nodeBox, node(info))).catch((error) => fill(nodeBox, h('p', { class: 'notice error' }, error.message))),
  ]);
}
