// This page's version of the app. index.html names its modules under /assets/<version>/
// and they import each other by relative URL, so every module of one page load is of one
// version. After a deploy the server serves only the new version (another answers 404), so
// a screen loaded on first use can no longer load in a page that is still running the old
// one: the page then reloads, as a whole, in the new version, rather than mixing the two.

const RELOADED_FROM = 'hd.reloadedFrom';

/**
 * Call with the error of a failed `import()`: when this page's version is no longer served,
 * reloads the page and returns a promise that never settles (nothing more should run);
 * otherwise rethrows `error` (the server is down, or the module itself is broken). Reloads
 * once per version: should the reloaded page meet the same refusal (servers of two versions
 * behind one balancer during an upgrade), the error shows instead of a loop of reloads.
 */
export async function reloadIfReplaced(error) {
  if (sessionStorage.getItem(RELOADED_FROM) === import.meta.url) throw error;
  const answer = await fetch(import.meta.url, { method: 'HEAD', cache: 'no-store' }).catch(() => null);
  if (answer?.status !== 404) throw error;
  sessionStorage.setItem(RELOADED_FROM, import.meta.url);
  location.reload();
  return new Promise(() => {});
}
