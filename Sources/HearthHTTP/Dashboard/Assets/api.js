// The owner API, as the dashboard calls it: same origin, the session cookie, and the header
// that tells the node the call comes from this page (no other site can send it).

export class APIError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const base = '/api/v1/';

function init(method, json, body, headers = {}) {
  const request = { method, credentials: 'same-origin', headers: { 'X-Hearth-Dashboard': '1', ...headers } };
  if (json !== undefined) {
    request.body = JSON.stringify(json);
    request.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    request.body = body;
  }
  return request;
}

async function failure(response) {
  if (response.status === 401) {
    location.assign('/login?next=' + encodeURIComponent(location.pathname));
  }
  let message = `The node answered ${response.status}.`;
  try {
    const data = await response.json();
    if (data && Array.isArray(data.errors) && data.errors.length) message = data.errors[0];
  } catch { /* not JSON: keep the status */ }
  return new APIError(response.status, message);
}

/** Calls `path` (below /api/v1/) and returns its JSON answer, or throws an APIError. */
export async function api(path, { method = 'GET', json, body, headers, blob = false } = {}) {
  const response = await fetch(base + path, init(method, json, body, headers));
  if (!response.ok) throw await failure(response);
  if (blob) return response.blob();
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** Calls `path` and hands each line of a streamed JSON-lines answer to `onLine`. */
export async function streamLines(path, { method = 'POST', json, body, headers } = {}, onLine) {
  const response = await fetch(base + path, init(method, json, body, headers));
  if (!response.ok) throw await failure(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) onLine(JSON.parse(line));
    }
  }
  if (pending.trim()) onLine(JSON.parse(pending));
}

/** The URL of an API path, for links, images and downloads. */
export const apiURL = (path) => base + path;
