// The board's cards per status, and rendering one column at a time so a change never
// redraws the whole board (focus and an open move menu survive elsewhere).
import { render } from './html.js';
import { STATUSES } from './format.js';
import { card } from './board-card.js';
import { avatars } from './presence.js';
import { viewersOf } from './viewing.js';

const newestFirst = (a, b) => (b.boardAt || b.updatedAt).localeCompare(a.boardAt || a.updatedAt) || b.id - a.id;

export class BoardColumns {
  #board;
  #columns = new Map();
  generation = 0;
  menuFor = null;
  pending = new Set();

  /** Renders into `board`'s `.board-column` sections. */
  constructor(board) { this.#board = board; }

  clear() {
    this.generation += 1;
    for (const [status] of STATUSES) this.#columns.set(status, { tickets: [], cursor: null, total: 0 });
    STATUSES.forEach(([status]) => this.render(status));
  }

  /** Adds a loaded page of `status` (ignoring tickets already shown). */
  add(status, tickets, cursor, total) {
    const column = this.#columns.get(status);
    const fresh = tickets.filter((ticket) => !this.find(ticket.id));
    Object.assign(column, { tickets: [...column.tickets, ...fresh], cursor, total: total ?? column.total });
    this.render(status);
  }

  cursor(status) { return this.#columns.get(status).cursor; }

  /** The shown ticket with `id`, if any. */
  find(id) {
    for (const column of this.#columns.values()) {
      const ticket = column.tickets.find((known) => known.id === id);
      if (ticket) return ticket;
    }
    return null;
  }

  /** Puts `ticket` in its status's column (newest first), out of any other. */
  place(ticket) {
    const from = this.remove(ticket.id, { quiet: true });
    const column = this.#columns.get(ticket.status);
    column.tickets = [...column.tickets, ticket].sort(newestFirst);
    if (!from) column.total += 1;
    else if (from !== ticket.status) { this.#columns.get(from).total -= 1; column.total += 1; }
    if (from && from !== ticket.status) this.render(from);
    this.render(ticket.status);
  }

  /** Removes ticket `id`; returns the status it was in. */
  remove(id, { quiet = false } = {}) {
    for (const [status, column] of this.#columns) {
      if (!column.tickets.some((ticket) => ticket.id === id)) continue;
      column.tickets = column.tickets.filter((ticket) => ticket.id !== id);
      if (!quiet) { column.total -= 1; this.render(status); }
      return status;
    }
    return null;
  }

  render(status) {
    const section = this.#board.querySelector(`.board-column[data-status="${status}"]`);
    if (!section) return;
    const focused = document.activeElement?.closest?.('.board-card')?.dataset.ticketId;
    const { tickets, cursor, total } = this.#columns.get(status);
    render(tickets.map((ticket) => card(ticket, { menuOpen: this.menuFor === ticket.id, pending: this.pending.has(ticket.id) })),
      section.querySelector('.column-cards'));
    section.querySelector('.column-count').textContent = String(Math.max(total, tickets.length));
    section.querySelector('.column-more').hidden = !cursor;
    if (focused) section.querySelector(`.board-card[data-ticket-id="${focused}"]`)?.focus();
  }

  /** Refreshes every card's presence avatars. */
  showPresence() {
    for (const slot of this.#board.querySelectorAll('.card-presence')) {
      const viewers = avatars(viewersOf(Number(slot.dataset.presence)), { small: true });
      if (slot.innerHTML !== String(viewers)) render(viewers, slot);
    }
  }
}
