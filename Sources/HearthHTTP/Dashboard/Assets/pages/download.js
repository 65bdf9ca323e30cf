// Downloads an API answer as a file (the API needs the dashboard's header, so a plain link
// cannot fetch it).
import { api } from '../api.js';
import { h } from '../ui.js';

export async function download(path, name) {
  const blob = await api(path, { blob: true });
  const link = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 30000);
  return blob;
}

export const stamp = () => new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
