// Start-up: register the elements and routes, learn who is signed in, start routing.
import { store, can, canOpenSettings } from './store.js';
import { api } from './api.js';
import { addRoute, addNavItem, startRouter } from './router.js';
import { define as defineApp } from '../components/hd-app.js';
import { define as defineLogin } from '../components/hd-login.js';
import { define as defineSetup } from '../components/hd-setup.js';
import { define as defineNotFound } from '../components/hd-not-found.js';
import { define as defineList } from '../components/hd-ticket-list.js';
import { define as defineNewTicket } from '../components/hd-new-ticket.js';
import { define as defineTicketPage } from '../components/hd-ticket-page.js';

[defineLogin, defineSetup, defineNotFound, defineList, defineNewTicket, defineTicketPage].forEach((define) => define());

addRoute({ path: '/login', tag: 'hd-login', bare: true, anonymous: true });
addRoute({ path: '/setup', tag: 'hd-setup', bare: true, anonymous: true });
addRoute({ path: '/tickets', tag: 'hd-ticket-list', guard: () => can('ticket.view') });
addRoute({ path: '/tickets/new', tag: 'hd-new-ticket', guard: () => can('ticket.create') });
addRoute({ path: '/tickets/:id', tag: 'hd-ticket-page', guard: () => can('ticket.view') });
addRoute({
  path: '/settings/:section?', tag: 'hd-settings', guard: canOpenSettings,
  load: () => import('../components/hd-settings.js').then((module) => module.define()),
});

addNavItem({ href: '/tickets', label: 'Tickets', order: 10, visible: () => can('ticket.view') });
// Board (order 20) and Reports (order 30) register here when they exist.
addNavItem({ href: '/settings', label: 'Settings', order: 90, visible: canOpenSettings });

async function start() {
  try {
    store.set({ session: await api('/api/session') });
  } catch {
    store.set({ session: null });
  }
  startRouter();
  defineApp();
}

start();
