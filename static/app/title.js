// The tab title: what the page says, the account's name instead of "Help desk", and the
// unread notification count in front ("(3) TKT-12 Printer jam · Acme Support"), so a
// background tab shows news. Pages keep writing `document.title = '… · Help desk'`.
import { store } from './store.js';

const GENERIC = ' · Help desk';
let base = null;

function compose() {
  const unread = store.state.unreadCount || 0;
  const name = store.state.account?.name || 'Help desk';
  const page = base && base !== 'Help desk' ? `${base} · ${name}` : name;
  return unread ? `(${unread > 99 ? '99+' : unread}) ${page}` : page;
}

/** The page's own part of a title we (or a page) wrote. */
function pageTitle(title) {
  const withoutCount = title.replace(/^\(\d+\+?\) /, '');
  const name = store.state.account?.name;
  if (withoutCount.endsWith(GENERIC)) return withoutCount.slice(0, -GENERIC.length);
  if (name && withoutCount.endsWith(` · ${name}`)) return withoutCount.slice(0, -(name.length + 3));
  return withoutCount === name ? 'Help desk' : withoutCount;
}

function apply() {
  base = pageTitle(document.title);
  const wanted = compose();
  if (document.title !== wanted) document.title = wanted;
}

/** Keeps the title composed while the app runs; returns the function that stops it. */
export function followTitle() {
  const observer = new MutationObserver(() => apply());
  const title = document.querySelector('title') || document.head.appendChild(document.createElement('title'));
  observer.observe(title, { childList: true, characterData: true, subtree: true });
  const stop = store.subscribe((keys) => { if (keys.includes('unreadCount') || keys.includes('account')) apply(); });
  apply();
  return () => { observer.disconnect(); stop(); };
}
