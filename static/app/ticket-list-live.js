// The ticket list's live side (through the board room): a shown ticket's row changes in
// place, nothing moves under the cursor; new tickets and missed changes are only counted
// in a bar whose button reloads the view.
import { html, render } from './html.js';
import { followBoard } from './board-feed.js';

export class TicketListLive {
  #list;
  #fresh = 0;
  #stop = null;

  /** Follows the board for `list` (hd-ticket-list: `tickets`, `.new-bar`, `hd-ticket-table`). */
  constructor(list) { this.#list = list; }

  /** Starts following (on the list's connect). */
  start() {
    this.#stop = followBoard({
      created: () => this.showFresh(this.#fresh + 1),
      resync: () => this.showFresh(this.#fresh, true),
      updated: (ticket) => this.replace(ticket),
      deleted: (id) => this.replace(this.#list.tickets.find((ticket) => ticket.id === id), 'deleted'),
      viewing: () => this.#list.querySelector('hd-ticket-table').showPresence(),
    });
  }

  /** Stops following (on the list's disconnect). */
  stop() { this.#stop?.(); }

  /** A live change to a shown ticket: its row changes in place. */
  replace(ticket, note) {
    const list = this.#list;
    if (!ticket || !list.tickets.some((known) => known.id === ticket.id)) return;
    list.tickets = list.tickets.map((known) => (known.id === ticket.id ? ticket : known));
    list.querySelector('hd-ticket-table').updateRow(ticket, note);
  }

  /** "N new tickets" (or "out of date") with a button that reloads the view; 0 hides it. */
  showFresh(count, stale = false) {
    this.#fresh = count;
    const bar = this.#list.querySelector('.new-bar');
    bar.hidden = count === 0 && !stale;
    render(html`<span>${stale ? 'Changes were missed while offline.' : `${count} new ${count === 1 ? 'ticket' : 'tickets'} since you loaded this list.`}</span>
      <button type="button" class="button" data-action="refresh">Show ${stale ? 'the current list' : 'them'}</button>`, bar);
  }
}
