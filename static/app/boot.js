// The first requests of a page load, started before the app's module graph has loaded
// (index.html loads this module first; it imports nothing, so it runs at once): who is
// signed in, the agents and the account. main.js and the shell take these promises
// instead of asking again, which saves a round trip after ~70 modules were revalidated.

const json = (path) => fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  .then((response) => (response.ok ? response.json() : Promise.reject(response.status)));

/** The answers, each once: taken by the first caller, later callers ask the API themselves. */
const early = {
  session: json('/api/session'),
  agents: json('/api/agents'),
  account: json('/api/account'),
};
for (const promise of Object.values(early)) promise.catch(() => {});

/** The early answer for `key` ('session', 'agents', 'account') once, or null after it was taken. */
export function takeEarly(key) {
  const promise = early[key];
  early[key] = null;
  return promise;
}
