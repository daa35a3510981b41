// The `board` room for a screen (ticket list or Kanban board): joins it, and calls the
// screen back for each ticket event, for a resync and when who-views-what changes.
import { store } from './store.js';
import { live } from './live.js';
import { noteServerInstant } from './sla.js';

export const BOARD = 'board';

/**
 * Follows the board room until the returned function is called. `handlers` may have
 * `created(ticket)`, `updated(ticket, changedFields)`, `deleted(id, reference)`,
 * `resync()`, `viewing()` and `sla(ticket)` (an SLA warning or breach; defaults to `updated`).
 */
export function followBoard(handlers) {
  const release = live.join(BOARD);
  const stops = [
    store.on('event', ({ room, event }) => {
      if (room !== BOARD) return;
      if (event.kind === 'ticket.created') handlers.created?.(event.ticket);
      else if (event.kind === 'ticket.updated') handlers.updated?.(event.ticket, event.changedFields || []);
      else if (event.kind === 'ticket.deleted') handlers.deleted?.(event.ticketId, event.reference);
      else if (event.kind === 'sla.warning' || event.kind === 'sla.breached') {
        noteServerInstant(event.at);
        (handlers.sla || handlers.updated)?.(event.ticket, ['sla']);
      }
    }),
    store.on('resync', ({ room }) => { if (room === BOARD) handlers.resync?.(); }),
    store.subscribe((keys) => { if (keys.includes('viewing')) handlers.viewing?.(); }),
  ];
  return () => {
    stops.forEach((stop) => stop());
    release();
  };
}
