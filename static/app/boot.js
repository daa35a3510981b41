// The first requests of a page load, started before the app's module graph has loaded
// (index.html loads this module first; it imports nothing, so it runs at once): who is
// signed in, the agents and the account, and the data of the page the address names when
// it is the plain ticket list or a ticket. The app takes these promises instead of asking
// again, so its first content does not wait for ~50 modules to be revalidated first.

const json = (path) => fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  .then((response) => (response.ok ? response.json() : Promise.reject(response.status)));

/** The answers, each once: taken by the first caller, later callers ask the API themselves. */
const session = json('/api/session');
/** Asked once the session answered: a signed-out visitor's page asks for nothing it may not see. */
const after = (path) => session.then(() => json(path));
const early = {
  session,
  agents: after('/api/agents'),
  account: after('/api/account'),
};
/** The list's first page as hd-ticket-list asks for it with no filter (ticket-query.js apiSearch). */
export const PLAIN_LIST = '/api/tickets?sort=-updated&limit=50';
const ticket = /^\/tickets\/(\d+)$/.exec(location.pathname);
if (location.pathname === '/tickets' && !location.search) early[PLAIN_LIST] = after(PLAIN_LIST);
if (ticket) {
  // The ticket page's modules load on first use; start them now, beside the app's own.
  import('../components/hd-ticket-page.js').catch(() => {});
  early[`/api/tickets/${ticket[1]}`] = after(`/api/tickets/${ticket[1]}`);
  early[`/api/tickets/${ticket[1]}/messages`] = after(`/api/tickets/${ticket[1]}/messages`);
}
// A refusal (signed out) is handled by whoever takes the answer, or by nobody.
for (const promise of Object.values(early)) promise.catch(() => {});

/**
 * The early answer for `key` ('session', 'agents', 'account', or an API path asked for
 * above) once, or null (not asked, or already taken). A refused early request rejects;
 * callers fall back to `api()`, which handles the refusal as usual.
 */
export function takeEarly(key) {
  const promise = early[key] ?? null;
  early[key] = null;
  return promise;
}

/** `takeEarly(path)` with `api(path)` behind it when it was not asked early or failed. */
export function earlyOr(path, ask) {
  const promise = takeEarly(path);
  return promise ? promise.catch(() => ask(path)) : ask(path);
}
