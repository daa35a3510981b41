// Client-side routing: app URLs map to page elements. Links with a same-origin href
// navigate without reloading; back and forward work; the server answers every app
// URL with index.html. Later screens (Board, Reports) add themselves with addRoute
// and addNavItem, so nothing links to a screen that does not exist yet.

const routes = [];
const navItems = [];
const changes = new EventTarget();

/**
 * Adds a route. `path` like '/tickets/:id'; `tag` the page element; `load` an
 * optional import() for rarely used screens; `guard()` false hides it (not found).
 */
export function addRoute({ path, tag, load, guard, bare = false, anonymous = false }) {
  const names = [];
  const source = path.replace(/:(\w+)(\?)?/g, (_, name, optional) => {
    names.push(name);
    return optional ? '?([^/]*)' : '([^/]+)';
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, tag, load, guard, bare, anonymous });
}

/** Adds a main navigation item; `visible()` decides per session. */
export function addNavItem({ href, label, match, visible = () => true, order = 50 }) {
  navItems.push({ href, label, match: match || href, visible, order });
  navItems.sort((a, b) => a.order - b.order);
}

/** The navigation items the current agent may see. */
export function visibleNavItems() {
  return navItems.filter((item) => item.visible());
}

/** The route for `location` (or the not-found route): { tag, params, route }. */
export function resolve(pathname = location.pathname) {
  for (const route of routes) {
    const match = route.regex.exec(pathname);
    if (!match) continue;
    if (route.guard && !route.guard()) break;
    const params = Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] ? decodeURIComponent(match[i + 1]) : '']));
    return { route, tag: route.tag, params };
  }
  return { route: { tag: 'hd-not-found', bare: false }, tag: 'hd-not-found', params: {} };
}

/** Goes to `url` (pushing history unless `replace`) and announces the change. */
export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.origin);
  if (target.href === location.href && !replace) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', target.pathname + target.search + target.hash);
  changes.dispatchEvent(new Event('route'));
}

/** Calls `listener` after every navigation; returns the unsubscribe function. */
export function onRoute(listener) {
  changes.addEventListener('route', listener);
  return () => changes.removeEventListener('route', listener);
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || /^\/(api|static|assets)\//.test(url.pathname)) return;
  // A link to a place on this page (the skip link) is the browser's: it scrolls and focuses.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(url.href);
}

/** Starts listening to link clicks and history moves (once, at start-up). */
export function startRouter() {
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => changes.dispatchEvent(new Event('route')));
}

/** The current path with its query, to come back to after signing in. */
export function currentPlace() {
  return location.pathname + location.search;
}
