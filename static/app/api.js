// The REST client: JSON in and out, the CSRF header on unsafe methods, problem+json
// errors as ApiError, and any 401 sends the agent to the login page (then back).
import { store } from './store.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.problem = problem || {};
    this.field = problem?.field;
  }
}

const SAFE = new Set(['GET', 'HEAD']);

/** Headers for a request: JSON accept plus the session's CSRF token when unsafe. */
export function headersFor(method, extra = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const token = store.state.session?.csrfToken;
  if (!SAFE.has(method) && token) headers['X-CSRF-Token'] = token;
  return headers;
}

/** Reports an expired session to the app (the router shows the login page). */
export function sessionExpired() {
  if (!store.state.session) return;
  store.set({ session: null, expired: true });
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) return response.json();
  return response.text();
}

/** Calls the API; resolves with the parsed body or throws ApiError. */
export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const init = { method, headers: headersFor(method, headers), credentials: 'same-origin' };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof FormData) init.body = body;
    else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { detail: 'The server did not answer. Check your connection.' });
  }
  if (response.status === 401 && path !== '/api/session') sessionExpired();
  const data = raw && response.ok ? response : await parse(response);
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  return data;
}

/** Builds a query string from an object, skipping empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
