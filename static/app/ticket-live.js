// The ticket page's live side: follows `ticket:<id>`, relays the composer's typing
// signals, and hands the room's events to the page. Events that arrive before the page
// has loaded wait for it; the page drops what it already has (message ids, versions).
import { store } from './store.js';
import { live, myId } from './live.js';
import { noteServerInstant } from './sla.js';

export class TicketLive {
  #page;
  #updates;
  #room = '';
  #release = null;
  #stops = [];
  #early = [];
  #typing = null;

  /**
   * Follows the room for `page` (its `ticket`, and the composer's events bubbling to it),
   * applying events through `updates` (TicketPageUpdates: `addMessage`, `remoteTicket`,
   * `remoteSla`, `showDeleted`, `refetch`).
   */
  constructor(page, updates) {
    this.#page = page;
    this.#updates = updates;
  }

  get room() { return this.#room; }

  /** Joins the ticket's room and listens (on the page's connect). */
  start(id) {
    this.#room = `ticket:${id}`;
    this.#release = live.join(this.#room);
    this.#stops = [
      store.on('event', (message) => {
        // Changes this agent made (here or in another tab) are applied quietly, not flagged as someone else's.
        if (message.room === this.#room) this.#event({ ...message.event, mine: isMine(message.by) });
      }),
      store.on('resync', (message) => { if (message.room === this.#room) this.#updates.refetch(); }),
      store.on('subscribed', (message) => { if (message.room === this.#room && this.#typing) this.typing(this.#typing); }),
    ];
    for (const type of ['composing', 'composing-stop']) this.#page.addEventListener(type, this);
  }

  /** Stops typing, leaves the room and stops listening (on the page's disconnect). */
  stop() {
    this.stopTyping();
    for (const type of ['composing', 'composing-stop']) this.#page.removeEventListener(type, this);
    this.#stops.forEach((stop) => stop());
    this.#release?.();
  }

  /** Applies events that arrived while the page was loading. */
  loaded() {
    const early = this.#early;
    this.#early = [];
    early.forEach((event) => this.#event(event));
  }

  typing(composing) {
    this.#typing = composing;
    live.send({ type: 'typing', room: this.#room, composing });
  }

  stopTyping() {
    if (this.#typing === null) return;
    this.#typing = null;
    live.send({ type: 'stopTyping', room: this.#room });
  }

  handleEvent(event) {
    if (event.type === 'composing') this.typing(event.detail.composing);
    else this.stopTyping();
  }

  #event(event) {
    if (!this.#page.ticket) {
      this.#early.push(event);
      return;
    }
    if (event.kind === 'message.added') this.#updates.addMessage(event.message);
    else if (event.kind === 'ticket.updated') this.#updates.remoteTicket(event.ticket, event.changedFields, event.mine);
    else if (event.kind === 'ticket.deleted') this.#updates.showDeleted(event.reference);
    else if (event.kind === 'sla.warning' || event.kind === 'sla.breached') {
      noteServerInstant(event.at);
      this.#updates.remoteSla(event.ticket);
    }
  }
}

/** True when the `by` of a live event names the signed-in agent. */
function isMine(by) {
  return by?.type === 'agent' && by.id === myId();
}
