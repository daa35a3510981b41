// The portal's REST client: every call carries the link's token in `Portal-Token`;
// problem+json answers become PortalError.

export class PortalError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `Request failed (${status})`);
    this.status = status;
    this.field = problem?.field;
  }
}

/** The token from the page's fragment (`#<token>`), or ''. */
export function linkToken() {
  return decodeURIComponent(location.hash.slice(1));
}

/** Calls `path` with the token; resolves with the JSON body, or a Blob when `blob`. */
export async function portalApi(path, { method = 'GET', body, blob = false } = {}) {
  const response = await fetch(path, { method, body, headers: { 'Portal-Token': linkToken(), Accept: 'application/json' },
    credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  if (!response.ok) {
    const type = response.headers.get('Content-Type') || '';
    throw new PortalError(response.status, type.includes('json') ? await response.json() : null);
  }
  return blob ? response.blob() : response.json();
}

/** Downloads a file of a public reply (fetched with the token, saved from a blob URL). */
export async function download(file) {
  const url = URL.createObjectURL(await portalApi(`/api/portal/attachments/${file.id}`, { blob: true }));
  const link = Object.assign(document.createElement('a'), { href: url, download: file.fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
