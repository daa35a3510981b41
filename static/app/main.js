// Start-up: register the elements and routes, learn who is signed in, start routing.
import { store, can, canOpenSettings } from './store.js';
import { api } from './api.js';
import { addRoute, addNavItem, startRouter } from './router.js';
import { define as defineApp } from '../components/hd-app.js';
import { define as defineLogin } from '../components/hd-login.js';
import { define as defineSetup } from '../components/hd-setup.js';
import { define as defineNotFound } from '../components/hd-not-found.js';
import { define as defineList } from '../components/hd-ticket-list.js';
import { takeEarly } from './boot.js';
import { live } from './live.js';
import { trackViewing } from './viewing.js';

[defineLogin, defineSetup, defineNotFound, defineList].forEach((define) => define());

addRoute({ path: '/login', tag: 'hd-login', bare: true, anonymous: true });
addRoute({ path: '/setup', tag: 'hd-setup', bare: true, anonymous: true });
addRoute({ path: '/tickets', tag: 'hd-ticket-list', guard: () => can('ticket.view') });
// The list loads with the app; the ticket page and the new-ticket form on first use, so
// the list's first content does not wait for their modules.
addRoute({
  path: '/tickets/new', tag: 'hd-new-ticket', guard: () => can('ticket.create'),
  load: () => import('../components/hd-new-ticket.js').then((module) => module.define()),
});
addRoute({
  path: '/tickets/:id', tag: 'hd-ticket-page', guard: () => can('ticket.view'),
  load: () => import('../components/hd-ticket-page.js').then((module) => module.define()),
});
addRoute({
  path: '/board', tag: 'hd-board', guard: () => can('ticket.view'),
  load: () => import('../components/hd-board.js').then((module) => module.define()),
});
addRoute({
  path: '/reports', tag: 'hd-reports', guard: () => can('reports.view'),
  load: () => import('../components/hd-reports.js').then((module) => module.define()),
});
addRoute({
  path: '/preferences', tag: 'hd-preferences', guard: () => Boolean(store.state.session),
  load: () => import('../components/hd-preferences.js').then((module) => module.define()),
});
addRoute({
  path: '/settings/:section?', tag: 'hd-settings', guard: canOpenSettings,
  load: () => import('../components/hd-settings.js').then((module) => module.define()),
});
addRoute({
  path: '/help/:slug?', tag: 'hd-help',
  load: () => import('../components/hd-help.js').then((module) => module.define()),
});

addNavItem({ href: '/tickets', label: 'Tickets', order: 10, visible: () => can('ticket.view') });
addNavItem({ href: '/board', label: 'Board', order: 20, visible: () => can('ticket.view') });
addNavItem({ href: '/reports', label: 'Reports', order: 30, visible: () => can('reports.view') });
addNavItem({ href: '/settings', label: 'Settings', order: 90, visible: canOpenSettings });

async function start() {
  try {
    store.set({ session: await (takeEarly('session') ?? api('/api/session')) });
  } catch {
    // Signed out: the early agents answer was a refusal; after signing in, ask again.
    takeEarly('agents');
    takeEarly('account');
    store.set({ session: null });
    // A server without an administrator yet: every visitor lands on the setup page.
    const setup = await api('/api/setup').catch(() => ({ needed: false }));
    if (setup.needed && location.pathname !== '/setup') history.replaceState(null, '', '/setup');
  }
  // One live connection per tab while someone is signed in.
  const followSession = () => (store.state.session ? live.start() : live.stop());
  store.subscribe((keys) => { if (keys.includes('session')) followSession(); });
  trackViewing();
  followSession();
  startRouter();
  defineApp();
}

start();
