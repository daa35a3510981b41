// Where a link on a ticket points: an external record (issue, task, incident: outside this
// help desk, with the status text its own system gives) or a ticket of ours, whose status
// is shown and kept live from the `board` room's `ticket.updated` events.
import { api } from './api.js';
import { live } from './live.js';
import { store } from './store.js';

/** The ticket id when `url` is a ticket page of this help desk (same origin, /tickets/<id>), else null. */
export function ownTicketId(url) {
  try {
    const parsed = new URL(url, location.origin);
    const match = parsed.origin === location.origin && parsed.pathname.match(/^\/tickets\/(\d+)\/?$/);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The statuses of some tickets, current: `watch(ids)` reads each new one once and follows
 * `board` while any is watched; `changed()` runs after each change; `stop()` lets go.
 */
export class TicketStatuses {
  #statuses = new Map();
  #release = null;
  #stopEvents = null;

  constructor(changed) {
    this.changed = changed;
  }

  /** The status of ticket `id` ('deleted' when it was; undefined while unknown). */
  status(id) {
    return this.#statuses.get(id) ?? undefined;
  }

  watch(ids) {
    for (const id of ids.filter((known) => !this.#statuses.has(known))) {
      this.#statuses.set(id, null);
      api(`/api/tickets/${id}`).then((ticket) => this.#set(id, ticket.status), () => this.#set(id, 'deleted'));
    }
    if (!ids.length || this.#release) return;
    this.#release = live.join('board');
    this.#stopEvents = store.on('event', ({ room, event }) => {
      if (room !== 'board') return;
      if (event.kind === 'ticket.updated' && this.#statuses.has(event.ticket.id)) this.#set(event.ticket.id, event.ticket.status);
      else if (event.kind === 'ticket.deleted' && this.#statuses.has(event.ticketId)) this.#set(event.ticketId, 'deleted');
    });
  }

  stop() {
    this.#release?.();
    this.#stopEvents?.();
    this.#release = null;
    this.#stopEvents = null;
  }

  #set(id, status) {
    if (this.#statuses.get(id) === status) return;
    this.#statuses.set(id, status);
    this.changed();
  }
}
