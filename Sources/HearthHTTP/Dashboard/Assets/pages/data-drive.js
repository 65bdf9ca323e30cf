// A Drive in the data browser: one folder at a time (names split on "/"), uploads by button
// or by dropping files with a progress bar each, downloads, deletes, and previews of images
// and text.
import { api, apiURL } from '../api.js';
import { h, fill, toast, confirmDialog, bytes, ago } from '../ui.js';

const TEXT_PREVIEW = 64 * 1024;
const IMAGE_PREVIEW = 20 * 1000 * 1000;
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|toml|x-sh|sql|csv)|image\/svg\+xml)/;
const TEXT_NAMES = /\.(txt|md|markdown|json|csv|tsv|log|ya?ml|toml|ini|cfg|conf|xml|html?|css|js|mjs|ts|py|rb|go|rs|swift|c|h|sh|sql)$/i;

const ICONS = {
  folder: 'M3 6.5A1.5 1.5 0 0 1 4.5 5h4.4l1.8 2h8.8A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  file: 'M6.5 3h7.3L19 8.2V19.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19.5v-15A1.5 1.5 0 0 1 6.5 3zM13.5 3.5V8.5h5',
  image: 'M4.5 4h15A1.5 1.5 0 0 1 21 5.5v13a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5v-13A1.5 1.5 0 0 1 4.5 4zM3.5 16.5l5-5 4 4 2.5-2.5 5.5 5.5M15.5 9.5a1.5 1.5 0 1 0 0-.01',
};

/** A small outline icon, decorative (the text next to it says what it is). */
function glyph(kind) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `glyph ${kind}`);
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[kind]);
  svg.append(path);
  return svg;
}

const baseName = (name) => name.slice(name.lastIndexOf('/', name.length - 2) + 1);
const isImage = (file) => /^image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml)/.test(file.content_type);
const isText = (file) => !isImage(file) && (TEXT_TYPES.test(file.content_type) || TEXT_NAMES.test(file.name));

/** Uploads `file` as `name` with XMLHttpRequest, for its progress events. */
function upload(path, name, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', apiURL(`${path}/files?name=${encodeURIComponent(name)}`));
    request.setRequestHeader('X-Hearth-Dashboard', '1');
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    request.upload.addEventListener('progress', (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      if (request.status === 401) location.assign('/login?next=' + encodeURIComponent(location.pathname));
      let message = `The node answered ${request.status}.`;
      try {
        message = JSON.parse(request.responseText).errors[0] || message;
      } catch { /* not JSON */ }
      reject(new Error(message));
    });
    request.addEventListener('error', () => reject(new Error('The upload was interrupted')));
    request.send(file);
  });
}

export function renderDrive(panel, instance, drive, startFolder, { onChange, onFolder }) {
  if (!drive) {
    fill(panel, h('div', { class: 'card empty' },
      h('h2', {}, 'No Drives yet'),
      h('p', {}, `A Drive stores files. ${instance.app} creates its Drives when it first saves a file; `
        + 'you can also start one with "New Drive" and upload files yourself.')));
    return null;
  }
  const path = `instances/${encodeURIComponent(instance.id)}/drives/${encodeURIComponent(drive)}`;
  let folder = startFolder && startFolder.endsWith('/') ? startFolder : '';
  let alive = true;
  const urls = [];

  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Folder' });
  const listing = h('div', { class: 'data-files', 'aria-live': 'polite' });
  const uploads = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
  const input = h('input', { type: 'file', id: 'drive-upload', multiple: true, class: 'visually-hidden',
    onchange: () => { send([...input.files]); input.value = ''; } });
  const where = h('span', {});
  const zone = h('div', { class: 'dropzone', id: 'drive-dropzone' },
    h('p', {}, 'Drop files here to upload them to ', where, ', or '),
    h('label', { for: 'drive-upload', class: 'button primary', tabindex: '0', role: 'button',
      onkeydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); input.click(); } } }, 'Choose files'),
    input);
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add('over'); });
  }
  zone.addEventListener('dragleave', (event) => { if (!zone.contains(event.relatedTarget)) zone.classList.remove('over'); });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    send([...(event.dataTransfer?.files || [])]);
  });

  fill(panel, crumbs, zone, uploads, listing);

  async function send(files) {
    const target = folder;
    await Promise.all(files.map(async (file) => {
      const bar = h('progress', { max: 100, value: 0, 'aria-label': `Uploading ${file.name}` });
      const status = h('span', { class: 'muted small' }, bytes(file.size));
      const row = h('li', {}, h('span', { class: 'name' }, file.name), bar, status);
      uploads.append(row);
      try {
        await upload(path, target + file.name, file, (part) => { bar.value = Math.round(part * 100); });
        bar.value = 100;
        status.textContent = 'Uploaded';
        row.classList.add('done');
        setTimeout(() => row.remove(), 4000);
      } catch (error) {
        status.textContent = error.message;
        row.classList.add('failed');
        const close = h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, 'Dismiss');
        row.append(close);
      }
    }));
    if (!alive) return;
    if (files.length) {
      load();
      onChange();
    }
  }

  function go(next) {
    folder = next;
    onFolder(folder);
    load();
  }

  function drawCrumbs() {
    const parts = folder.split('/').filter(Boolean);
    const steps = [h('li', {}, parts.length ? h('a', { href: '#', onclick: (event) => { event.preventDefault(); go(''); } }, drive) : h('span', { 'aria-current': 'location' }, drive))];
    parts.forEach((part, index) => {
      const target = parts.slice(0, index + 1).join('/') + '/';
      const last = index === parts.length - 1;
      steps.push(h('li', {}, last ? h('span', { 'aria-current': 'location' }, part)
        : h('a', { href: '#', onclick: (event) => { event.preventDefault(); go(target); } }, part)));
    });
    fill(crumbs, h('ol', {}, glyph('folder'), steps));
    fill(where, folder ? h('span', { class: 'mono' }, folder) : 'the top of the Drive');
  }

  async function load(last = null, append = false) {
    drawCrumbs();
    let answer;
    try {
      answer = await api(`${path}/files?prefix=${encodeURIComponent(folder)}${last ? `&last=${encodeURIComponent(last)}` : ''}`);
    } catch (error) {
      if (alive) fill(listing, h('p', { class: 'notice error', role: 'alert' }, `Could not list the files: ${error.message}`));
      return;
    }
    if (!alive) return;
    const body = append ? listing.querySelector('tbody') : null;
    const rows = [
      ...answer.folders.map((name) => h('tr', { class: 'clickable folder', onclick: (event) => { if (!event.target.closest('a')) go(name); } },
        h('th', { scope: 'row' }, h('a', { href: '#', class: 'entry', onclick: (event) => { event.preventDefault(); go(name); } },
          glyph('folder'), baseName(name))),
        h('td', { class: 'muted' }, 'Folder'), h('td', {}), h('td', {}), h('td', {}))),
      ...answer.files.map((file) => h('tr', { dataset: { name: file.name } },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link entry', onclick: () => preview(file), title: `Preview ${file.name}` },
          glyph(isImage(file) ? 'image' : 'file'), baseName(file.name))),
        h('td', { class: 'nowrap' }, bytes(file.size)),
        h('td', { class: 'muted small cell' }, file.content_type),
        h('td', { class: 'muted small nowrap' }, ago(file.modified)),
        h('td', { class: 'file-actions' },
          h('button', { type: 'button', class: 'download', onclick: () => download(file), 'aria-label': `Download ${baseName(file.name)}` }, 'Download'),
          h('button', { type: 'button', class: 'danger delete', onclick: () => remove(file), 'aria-label': `Delete ${baseName(file.name)}` }, 'Delete')))),
    ];
    const more = answer.last ? h('button', { type: 'button', onclick: (event) => { event.target.remove(); load(answer.last, true); } }, 'Show more') : null;
    if (body) {
      body.append(...rows);
      if (more) listing.append(more);
      return;
    }
    if (!rows.length) {
      fill(listing, h('div', { class: 'card empty data-empty' },
        h('h3', {}, folder ? 'This folder is empty' : 'This Drive is empty'),
        h('p', {}, 'Upload files with the button above or by dropping them on it. Names with "/" make folders.')));
      return;
    }
    fill(listing, h('div', { class: 'table-wrap' }, h('table', { id: 'drive-files-table' },
      h('caption', { class: 'visually-hidden' }, `Folders and files in ${folder || drive}`),
      h('thead', {}, h('tr', {}, ['Name', 'Size', 'Type', 'Modified', 'Actions'].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows))), more);
  }

  const fileURL = (file) => `${path}/files/download?name=${encodeURIComponent(file.name)}`;

  async function download(file) {
    try {
      const blob = await api(fileURL(file), { blob: true });
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: baseName(file.name), class: 'visually-hidden' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      toast(`Could not download ${file.name}: ${error.message}`, 'error');
    }
  }

  async function remove(file) {
    const sure = await confirmDialog({ title: 'Delete this file?', text: `"${file.name}" (${bytes(file.size)}) is removed from ${drive} for good.`, confirm: 'Delete', danger: true });
    if (!sure) return false;
    try {
      await api(`${path}/files?name=${encodeURIComponent(file.name)}`, { method: 'DELETE' });
      toast(`Deleted ${baseName(file.name)}`);
      load();
      onChange();
      return true;
    } catch (error) {
      toast(`Could not delete ${file.name}: ${error.message}`, 'error');
      return false;
    }
  }

  async function preview(file) {
    const content = h('div', { class: 'preview', id: 'file-preview' }, h('p', { class: 'loading' }, 'Loading…'));
    const dialog = h('dialog', { class: 'data-preview', 'aria-labelledby': 'preview-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'preview-title', class: 'mono' }, baseName(file.name)),
        h('p', { class: 'muted small' }, `${bytes(file.size)} · ${file.content_type} · ${ago(file.modified)}`),
        content,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'danger', onclick: async () => { if (await remove(file)) dialog.close(); } }, 'Delete'),
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', onclick: () => download(file) }, 'Download'),
          h('button', { value: 'close', class: 'primary' }, 'Close'))));
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    try {
      if (isImage(file) && file.size <= IMAGE_PREVIEW) {
        const url = URL.createObjectURL(await api(fileURL(file), { blob: true }));
        urls.push(url);
        fill(content, h('img', { src: url, alt: `Preview of ${baseName(file.name)}` }));
      } else if (file.size === 0) {
        fill(content, h('p', { class: 'muted' }, 'This file is empty.'));
      } else if (isText(file)) {
        const blob = await api(fileURL(file), { blob: true, headers: { Range: `bytes=0-${TEXT_PREVIEW - 1}` } });
        const text = new TextDecoder('utf-8', { fatal: false }).decode(await blob.slice(0, TEXT_PREVIEW).arrayBuffer());
        fill(content, h('pre', { class: 'text-preview', tabindex: '0' }, text || '(empty file)'),
          file.size > TEXT_PREVIEW ? h('p', { class: 'muted small' }, `The first ${bytes(TEXT_PREVIEW)} of ${bytes(file.size)}; download it to see it all.`) : null);
      } else {
        fill(content, h('p', { class: 'muted' }, 'There is no preview for this kind of file. Download it to open it.'));
      }
    } catch (error) {
      fill(content, h('p', { class: 'notice error', role: 'alert' }, `Could not load the preview: ${error.message}`));
    }
  }

  load();
  return () => {
    alive = false;
    for (const url of urls) URL.revokeObjectURL(url);
  };
}
