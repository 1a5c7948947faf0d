// api: the console's only way to the server. Every request carries the
// signed-in user's token; every error is the server's own reason
// ({"error": …}), shown to the person as it is — never a blank screen.
import { reactive } from 'vue';

const KEY = 'hotline.session';

// The signed-in user and token; kept in sessionStorage so a reload keeps
// the person signed in but closing the tab does not.
export const session = reactive(load());

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && s.token && s.user) return s;
  } catch (e) { /* a damaged entry is the same as none */ }
  return { token: '', user: null };
}

function save() {
  if (session.token) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;   // the whole reply: some refusals carry details
  }
}

// Listeners told when the server says the token is no good (401).
const expired = [];
export function onExpired(fn) { expired.push(fn); }

// One request: resolves to the parsed JSON body (or null), rejects with an
// ApiError carrying the server's reason.
export async function api(method, path, body) {
  const headers = {};
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, e.message || 'network error');
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!res.ok) {
    const reason = (json && json.error) || text || res.statusText;
    if (res.status === 401 && session.token && path !== '/api/v1/auth/login') {
      clear();
      expired.forEach(fn => fn(reason));
    }
    throw new ApiError(res.status, reason, json);
  }
  return json;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const put = (path, body) => api('PUT', path, body ?? {});
export const del = path => api('DELETE', path);

export async function login(username, password) {
  const r = await api('POST', '/api/v1/auth/login', { username, password });
  session.token = r.token;
  const me = await get('/api/v1/auth/me');
  session.user = me;
  save();
  return me;
}

export async function logout() {
  try { await post('/api/v1/auth/logout'); } catch (e) { /* gone already */ }
  clear();
}

function clear() {
  session.token = '';
  session.user = null;
  save();
}

// A URL the browser fetches by itself (an <audio> source, a download):
// it cannot send the header, so the token rides in the query where the
// route allows it.
export function withToken(path) {
  return path + (path.includes('?') ? '&' : '?') + 'token=' +
    encodeURIComponent(session.token);
}
