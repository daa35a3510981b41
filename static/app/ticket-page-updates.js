// What changes a loaded ticket page after the fact: messages and ticket versions from the
// room (through TicketLive), SLA moves, deletion by someone else, the resync refetch, the
// thread after a merge, and what the page's own components report (a save, a posted
// message, a reply collision). Each drops what the page already has (message ids, versions).
import { html, render } from './html.js';
import { api } from './api.js';
import { myId } from './live.js';

export class TicketPageUpdates {
  #page;

  /** Updates `page` (hd-ticket-page: `ticket`, `messages`, `showHeader`, `showThread`, `showSla`, `loadTimeline`). */
  constructor(page) { this.#page = page; }

  /** A message from the room (or the composer): shown once, and a colleague's reply warns a writing agent. */
  addMessage(message) {
    const page = this.#page;
    if (page.messages.some((known) => known.id === message.id)) return;
    page.messages = [...page.messages, message].sort((a, b) => a.id - b.id);
    const composer = page.querySelector('hd-composer');
    const mine = message.author.type === 'agent' && message.author.id === myId();
    if (!mine && message.kind === 'reply' && composer?.composing) composer.warnCollision(message);
    page.showThread();
    if (!mine) page.querySelector('.live-news').textContent = `New ${message.kind === 'note' ? 'note' : 'message'} from ${message.author.name || 'the system'}.`;
    // The outbox reports a failed email with a system note and no event of the reply's own:
    // reload so the reply shows its delivery state.
    if (message.kind === 'note' && message.author.type === 'system' && page.messages.some((known) => known.kind === 'reply' && known.author.type === 'agent')) {
      this.reloadThread();
    } else page.loadTimeline();
  }

  /**
   * A newer version of the ticket from the room: fields change in place, flagged as
   * someone else's unless `mine` (this agent's own save, whose answer may come later).
   */
  remoteTicket(ticket, changedFields = null, mine = false) {
    const page = this.#page;
    if (ticket.version <= page.ticket.version) return;
    page.ticket = ticket;
    page.showHeader();
    page.querySelector('.ticket-description').textContent = ticket.description || 'No description.';
    page.querySelector('hd-ticket-fields').applyRemote(ticket, { mine });
    page.showSla();
    if (changedFields?.length !== 0) page.loadTimeline();
  }

  /** An SLA warning or breach (or a policy change): only the SLA moves, not the version. */
  remoteSla(ticket) {
    const page = this.#page;
    if (ticket.version < page.ticket.version) return;
    page.ticket = { ...page.ticket, sla: ticket.sla };
    page.showSla();
  }

  /** Someone else deleted the ticket: say so and make every form inert. */
  showDeleted(reference) {
    const page = this.#page;
    page.ticket = { ...page.ticket, deleted: true };
    render(html`<div class="deleted-notice" role="alert"><strong>${reference} was deleted</strong> by another agent.
      Nothing you do here can be saved. <a href="/tickets">Back to tickets</a></div>`, page.querySelector('.deleted-slot'));
    for (const form of page.querySelectorAll('form')) form.inert = true;
  }

  /** After a merge into this ticket: the thread again, in the server's order. */
  async reloadThread(ticket = null) {
    const page = this.#page;
    page.messages = (await api(`/api/tickets/${page.ticket.id}/messages`)).messages;
    page.showThread();
    if (ticket) this.remoteTicket(ticket, null);
    page.loadTimeline();
  }

  /** After a resync: the ticket and the thread again over REST, merged without duplicates. */
  async refetch() {
    const page = this.#page;
    if (!page.ticket) return;
    const id = page.ticket.id;
    try {
      const [ticket, thread] = await Promise.all([api(`/api/tickets/${id}`), api(`/api/tickets/${id}/messages`)]);
      thread.messages.forEach((message) => this.addMessage(message));
      this.remoteTicket(ticket, null);
    } catch (error) {
      if (error.status === 404) this.showDeleted(page.ticket.reference);
    }
  }

  /**
   * After the agent's own message: "Send & set …" sets the status, and the ticket is read
   * again so the SLA panel shows the response it just met (the room's SLA event may come
   * later or, for a page without the socket, never).
   */
  async afterOwnMessage(status) {
    const page = this.#page;
    try {
      if (status) await page.querySelector('hd-ticket-fields').setStatusAfterReply(status);
      const ticket = await api(`/api/tickets/${page.ticket.id}`);
      if (ticket.version > page.ticket.version) this.remoteTicket(ticket, null, true);
      else this.remoteSla(ticket);
    } catch { /* the room's events bring the same changes */ }
  }

  /** The page's own components: `ticket-updated`, `sla-changed`, `message-posted`, `reply-collision`. */
  handleEvent(event) {
    const page = this.#page;
    const { type, detail } = event;
    if (type === 'ticket-updated') {
      page.ticket = detail.ticket;
      page.showHeader();
      page.showSla();
      page.loadTimeline();
    } else if (type === 'sla-changed') {
      this.remoteSla(detail.ticket);
      page.loadTimeline();
    } else if (type === 'message-posted') {
      this.addMessage(detail.message);
      page.querySelector('hd-composer').seen(page.messages.at(-1).id);
      this.afterOwnMessage(detail.then);
    } else if (type === 'reply-collision') {
      const known = new Set(page.messages.map((message) => message.id));
      const fresh = detail.newerMessages.filter((message) => !known.has(message.id));
      page.messages = [...page.messages, ...fresh];
      page.showThread(new Set(fresh.map((message) => message.id)));
      page.querySelector('hd-composer').lastMessageId = page.messages.at(-1)?.id ?? null;
    } else if (type === 'timeline-changed') {
      page.loadTimeline();
    }
  }
}
