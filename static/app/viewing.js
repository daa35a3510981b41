// Who views which ticket, from the board room's `viewing` messages: `store.state.viewing`
// maps a ticket id to its viewers. Cleared when the connection drops, because the
// server sends the full picture again when the board room is subscribed anew.
import { store } from './store.js';

let started = false;

/** Starts keeping `store.state.viewing` (once per tab). */
export function trackViewing() {
  if (started) return;
  started = true;
  store.set({ viewing: {} });
  store.on('viewing', (message) => {
    const viewing = { ...store.state.viewing };
    if (message.viewers.length) viewing[message.ticketId] = message.viewers;
    else delete viewing[message.ticketId];
    store.set({ viewing });
  });
  store.subscribe((keys) => {
    if (keys.includes('live') && store.state.live !== 'connected' && Object.keys(store.state.viewing).length) {
      store.set({ viewing: {} });
    }
  });
}

/** The viewers of ticket `id` (an empty list when nobody). */
export function viewersOf(id) {
  return store.state.viewing?.[id] || [];
}
