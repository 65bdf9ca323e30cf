// An app's settings: its configuration variables, app keys, public routes, usage, and a restart.
import { api } from '../api.js';
import { h, fill, toast, confirmDialog } from '../ui.js';

/** `512 MiB` for a byte count: limits and quotas are set in binary units, so usage shows them so. */
function bytes(count) {
  if (count === undefined || count === null) return '–';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${count} bytes`;
  return `${Number.isInteger(value) ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export async function render(section, instance) {
  const path = (rest) => `instances/${encodeURIComponent(instance.id)}/${rest}`;
  const configuration = h('div', {}, configurationForm(instance, path));
  const keys = h('div', {}, h('p', { class: 'loading' }, 'Loading keys…'));
  const routes = h('div', {}, publicRoutes(instance));
  const usage = h('div', {}, h('p', { class: 'loading' }, 'Loading usage…'));
  const restart = h('button', { type: 'button' }, 'Restart app');
  restart.addEventListener('click', async () => {
    const yes = await confirmDialog({ title: `Restart ${instance.app}?`, text: 'Its micros stop now and start again with the next request. A request being answered right now may fail.', confirm: 'Restart' });
    if (!yes) return;
    try {
      await api(path('restart'), { method: 'POST' });
      toast(`${instance.app} restarted.`);
    } catch (error) {
      toast(error.message, 'error');
    }
  });
  fill(section,
    h('nav', { class: 'settings-toc small', 'aria-label': 'Settings sections' },
      [['configuration', 'Configuration'], ['keys', 'API keys'], ['routes', 'Public routes'], ['usage', 'Usage'], ['restart', 'Restart']]
        .map(([id, label]) => h('a', { href: `#settings-${id}` }, label))),
    h('section', { class: 'settings-section', 'aria-labelledby': 'settings-configuration' },
      h('h2', { id: 'settings-configuration' }, 'Configuration'), configuration),
    h('section', { class: 'settings-section', 'aria-labelledby': 'settings-keys' },
      h('h2', { id: 'settings-keys' }, 'API keys'), keys),
    h('section', { class: 'settings-section', 'aria-labelledby': 'settings-routes' },
      h('h2', { id: 'settings-routes' }, 'Public routes'), routes),
    h('section', { class: 'settings-section', 'aria-labelledby': 'settings-usage' },
      h('h2', { id: 'settings-usage' }, 'Usage'), usage),
    h('section', { class: 'settings-section', 'aria-labelledby': 'settings-restart' },
      h('h2', { id: 'settings-restart' }, 'Restart'),
      h('div', { class: 'card row spread' },
        h('p', {}, 'Stops the app\'s micros; the next request starts them again, with the current configuration.'), restart)));
  await Promise.all([loadKeys(keys, instance, path), loadUsage(usage, path)]);
}

// ----- Configuration -----

function configurationForm(instance, path) {
  if (!instance.env.length) {
    return h('p', { class: 'muted' }, `${instance.app} has no settings to configure. Apps declare them in their Spacefile (presets.env).`);
  }
  const fields = instance.env.map((variable) => {
    const id = `env-${variable.name}`;
    const input = h('input', {
      id, name: variable.name, value: variable.value ?? '', autocomplete: 'off', spellcheck: 'false',
      placeholder: variable.default != null ? variable.default : '(not set)', 'aria-describedby': `${id}-help`,
    });
    const description = variable.description ? variable.description.replace(/([^.!?])$/, '$1.') : null;
    const help = [
      description,
      variable.default != null ? `Default: “${variable.default}”.` : 'No default.',
      'Leave empty to use the default.',
    ].filter(Boolean).join(' ');
    return h('div', { class: 'field' },
      h('label', { for: id, class: 'mono' }, variable.name),
      input,
      h('p', { id: `${id}-help`, class: 'muted small help' }, help));
  });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save and restart');
  const form = h('form', { class: 'card env-form' },
    h('p', { class: 'muted small' }, 'These values reach the app as environment variables. Saving restarts it so it sees them.'),
    fields, h('div', { class: 'row' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const variable of instance.env) {
      const text = form.elements.namedItem(variable.name).value;
      const value = text === '' ? null : text;
      if (value !== (variable.value ?? null)) values[variable.name] = value;
    }
    if (!Object.keys(values).length) {
      toast('Nothing changed.');
      return;
    }
    save.disabled = true;
    try {
      const answer = await api(path('env'), { method: 'PUT', json: { values } });
      instance.env = answer.env;
      toast(`Saved; ${instance.app} restarted.`);
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// ----- App keys -----

async function loadKeys(container, instance, path) {
  let data;
  try {
    data = await api(path('keys'));
  } catch (error) {
    fill(container, h('p', { class: 'notice error' }, error.message));
    return;
  }
  if (!data.enabled) {
    fill(container, h('p', { class: 'muted' },
      `${instance.app} does not take API keys: none of its micros asks for them (presets.api_keys in its Spacefile). Only you, signed in, can reach its private pages.`));
    return;
  }
  const name = h('input', { id: 'key-name', name: 'name', required: true, maxlength: 64, autocomplete: 'off', placeholder: 'e.g. backup-script' });
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create key');
  const form = h('form', { class: 'row key-form' }, h('label', { for: 'key-name', class: 'visually-hidden' }, 'Key name'), name, create);
  const list = h('div', {});
  const showList = () => {
    if (!data.keys.length) {
      fill(list, h('p', { class: 'muted small' }, 'No keys yet.'));
      return;
    }
    fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'keys' },
      h('thead', {}, h('tr', {}, ['Name', 'Key', 'Created', ''].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, data.keys.map((key) => {
        const remove = h('button', { type: 'button', class: 'danger small-button', 'aria-label': `Delete key ${key.name}` }, 'Delete');
        remove.addEventListener('click', async () => {
          const yes = await confirmDialog({ title: `Delete the key “${key.name}”?`, text: 'Programs using it are refused from now on. This cannot be undone.', confirm: 'Delete key', danger: true });
          if (!yes) return;
          try {
            await api(path(`keys/${encodeURIComponent(key.id)}`), { method: 'DELETE' });
            data.keys = data.keys.filter((other) => other.id !== key.id);
            showList();
            toast(`Key “${key.name}” deleted.`);
          } catch (error) {
            toast(error.message, 'error');
          }
        });
        return h('tr', { dataset: { key: key.name } },
          h('td', {}, key.name), h('td', { class: 'mono' }, `${key.hint}…`),
          h('td', {}, h('time', { datetime: key.created_at }, new Date(key.created_at).toLocaleString())), h('td', { class: 'end' }, remove));
      })))));
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    create.disabled = true;
    try {
      const key = await api(path('keys'), { method: 'POST', json: { name: name.value.trim() } });
      data.keys.push({ id: key.id, name: key.name, hint: key.hint, created_at: key.created_at });
      showList();
      name.value = '';
      await showKeyOnce(key, instance);
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      create.disabled = false;
    }
  });
  fill(container,
    h('p', { class: 'muted small' },
      `A key lets a program reach ${data.micros.join(', ')} without signing in: it sends the key in the X-Space-App-Key header. Each key works for this app only.`),
    form, list);
  showList();
}

async function showKeyOnce(key, instance) {
  const field = h('input', { id: 'new-key', class: 'mono', readonly: true, value: key.key, 'aria-label': 'The new key' });
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(key.key);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Press Ctrl+C to copy';
    }
  });
  await confirmDialog({
    title: `Key “${key.name}” created`,
    text: 'Copy it now: it is shown only this once. Hearth keeps only a fingerprint of it.',
    confirm: 'Done',
    body: h('div', {},
      h('div', { class: 'row key-once' }, field, copy),
      h('p', { class: 'muted small' }, 'Send it as ', h('code', {}, 'X-Space-App-Key'), ` with requests to ${instance.url}.`)),
  });
}

// ----- Public routes -----

function publicRoutes(instance) {
  const rows = instance.micros.flatMap((micro) => micro.public_routes.map((route) => h('tr', {},
    h('td', {}, micro.name), h('td', { class: 'mono' }, joinPath(micro.path, route)))));
  return [
    h('p', { class: 'muted small' },
      'Public routes answer anyone on the internet, without signing in. Every other page of the app is private: only you can open it (and programs with an API key, where the app allows them). The app decides its public routes in its Spacefile; they cannot be changed here.'),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Micro'), h('th', { scope: 'col' }, 'Public path'))),
        h('tbody', {}, rows)))
      : h('p', { class: 'notice ok' }, `Nothing of ${instance.app} is public: every page needs you to sign in.`),
  ];
}

function joinPath(prefix, route) {
  if (!prefix || prefix === '/') return route;
  return prefix.replace(/\/$/, '') + (route.startsWith('/') ? route : `/${route}`);
}

// ----- Usage -----

async function loadUsage(container, path) {
  let stats;
  try {
    stats = await api(path('usage'));
  } catch (error) {
    fill(container, h('p', { class: 'notice error' }, error.message));
    return;
  }
  const meters = stats.meters || {};
  const limits = stats.limits || {};
  const stored = (meters.base_bytes || 0) + (meters.drive_bytes || 0);
  const quota = limits.storage_bytes;
  const bar = (label, value) => {
    const share = quota ? Math.min(value / quota, 1) : 0;
    return h('div', { class: 'usage-bar' },
      h('div', { class: 'row spread small' }, h('span', {}, label), h('span', { class: 'muted' }, `${bytes(value)} of ${bytes(quota)}`)),
      h('progress', { max: 1000, value: Math.round(share * 1000), 'aria-label': `${label}: ${bytes(value)} of ${bytes(quota)}` }));
  };
  const figure = (label, value, note) => h('div', { class: 'figure card' },
    h('div', { class: 'muted small' }, label), h('div', { class: 'figure-value' }, value), note ? h('div', { class: 'muted small' }, note) : null);
  const number = (value) => (value ?? 0).toLocaleString();
  fill(container,
    h('div', { class: 'card usage-storage' },
      h('h3', {}, 'Storage'),
      bar('Base (data)', meters.base_bytes || 0), bar('Drive (files)', meters.drive_bytes || 0),
      h('p', { class: 'small muted' }, `${bytes(stored)} used in all, of a quota of ${bytes(quota)}.`)),
    h('div', { class: 'figures' },
      figure('Requests', number(meters.requests), 'since the node started'),
      figure('Wakes', number(meters.wakes), 'times a micro was started'),
      figure('CPU time', `${(meters.cpu_seconds || 0).toFixed(2)} s`, `limit: ${limits.cpu_cores ?? '–'} core${limits.cpu_cores === 1 ? '' : 's'}`),
      figure('Peak memory', bytes(meters.memory_peak_bytes || 0), `limit: ${bytes(limits.memory_bytes)}`),
      figure('Running micros', stats.running.length ? stats.running.join(', ') : 'none', stats.isolation === 'unknown' ? null : stats.isolation)));
}
