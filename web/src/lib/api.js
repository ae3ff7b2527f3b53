// The public API (/api/v1) and nothing else: the envelope, typed errors, the session's tokens
// (refreshed quietly before they lapse and once more on a 401), and idempotency keys.

const BASE = '/api/v1';
const STORE_KEY = 'evently.session';

export class ApiError extends Error {
  constructor(status, error, headers) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code || 'SERVER_ERROR';
    this.details = error?.details || {};
    const retry = Number(headers?.get('Retry-After') || this.details.retry_after || 0);
    this.retryAfter = retry > 0 ? retry : null;
  }

  // VALIDATION_ERROR's `details.fields` as {field: issue}; the first issue of a field wins.
  get fields() {
    const out = {};
    for (const { field, issue } of this.details.fields || []) out[field] ??= issue;
    return out;
  }
}

// A network failure (server down, connection lost) as an ApiError the pages can show.
function offline(cause) {
  const e = new ApiError(0, { code: 'NETWORK', message: 'The server could not be reached. Check your connection and try again.' });
  e.cause = cause;
  return e;
}

let tokens = readTokens();
const listeners = new Set();
let refreshing = null;
let refreshTimer = 0;

function readTokens() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY)) || null;
  } catch {
    return null;
  }
}

function notify() {
  for (const listener of listeners) listener(tokens);
}

// Another tab logged in, out or rotated the refresh token: follow it (a rotated token reused
// here would revoke the whole family).
addEventListener('storage', (e) => {
  if (e.key !== STORE_KEY) return;
  tokens = readTokens();
  scheduleRefresh();
  notify();
});

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasSession() {
  return tokens !== null;
}

export function setTokens(answer) {
  tokens = answer
    ? {
        access: answer.access_token,
        refresh: answer.refresh_token,
        expiresAt: Date.now() + answer.expires_in * 1000,
      }
    : null;
  if (tokens) localStorage.setItem(STORE_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(STORE_KEY);
  scheduleRefresh();
  notify();
}

// A minute before the access token lapses (or at once when it has), trade the refresh token.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!tokens) return;
  const wait = Math.max(0, tokens.expiresAt - Date.now() - 60_000);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), wait);
}
scheduleRefresh();

// One refresh at a time, whoever asks; a refused refresh token ends the session.
export function refresh() {
  if (!tokens) return Promise.reject(new ApiError(401, { code: 'AUTH_REQUIRED', message: 'Please log in.' }));
  refreshing ??= send('POST', '/auth/refresh', { body: { refresh_token: tokens.refresh }, auth: false })
    .then((answer) => setTokens(answer.data))
    .catch((e) => {
      if (e.status === 401 || e.status === 400) setTokens(null);
      throw e;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function send(method, path, { body, query, headers = {}, auth = true } = {}) {
  let url = BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (auth && tokens) init.headers.Authorization = `Bearer ${tokens.access}`;
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw offline(e);
  }
  let envelope = null;
  try {
    envelope = await res.json();
  } catch {
    envelope = null;
  }
  if (!res.ok || !envelope?.success) throw new ApiError(res.status, envelope?.error, res.headers);
  envelope.status = res.status;
  envelope.headers = res.headers;
  return envelope;
}

// The envelope of one call ({data, pagination, message, status}); throws ApiError. A 401 with a
// session refreshes the tokens once and retries.
export async function call(method, path, options = {}) {
  if (refreshing) await refreshing.catch(() => {});
  try {
    return await send(method, path, options);
  } catch (e) {
    const retryable = e.status === 401 && options.auth !== false && tokens && !options.retried;
    if (!retryable) throw e;
    await refresh();
    return call(method, path, { ...options, retried: true });
  }
}

export const get = (path, query) => call('GET', path, { query });
export const post = (path, body, headers) => call('POST', path, { body, headers });
export const put = (path, body) => call('PUT', path, { body });
export const del = (path, headers) => call('DELETE', path, { headers });

// Random and unique per attempt; a retry of the same attempt reuses its key.
export function idempotencyKey(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `web-${prefix}-${hex}`;
}

export async function login(email, password) {
  const answer = await send('POST', '/auth/login', { body: { email, password }, auth: false });
  setTokens(answer.data);
}

export async function register(account) {
  const answer = await send('POST', '/auth/register', { body: account, auth: false });
  setTokens(answer.data);
  return answer.data.user;
}

export async function logout() {
  const refreshToken = tokens?.refresh;
  setTokens(null);
  if (refreshToken) {
    await send('POST', '/auth/logout', { body: { refresh_token: refreshToken }, auth: false }).catch(() => {});
  }
}
