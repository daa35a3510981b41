import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { label, formatDateTime } from '../app/format.js';
import { define as defineFields } from './hd-ticket-fields.js';
import { define as defineThread } from './hd-thread.js';
import { define as defineComposer } from './hd-composer.js';
import { define as defineTimeline } from './hd-timeline.js';
import { define as definePresence } from './hd-presence.js';
import { define as defineSlaPanel } from './hd-sla-panel.js';
import { define as defineWatchers } from './hd-ticket-watchers.js';
import { define as defineLinks } from './hd-ticket-links.js';
import { define as defineMerge } from './hd-ticket-merge.js';
import { TicketLive } from '../app/ticket-live.js';
import { myId } from '../app/live.js';
import { navigate } from '../app/router.js';
import { requesterNames } from '../app/contact-names.js';

/** One ticket: its header, the conversation with the composer, its properties and audit timeline. */
export class TicketPage extends HTMLElement {
  params = {};
  ticket = null;
  messages = [];
  #live = new TicketLive(this);

  connectedCallback() {
    render(html`<section class="page"><p class="loading" role="status">Loading the ticket…</p></section>`, this);
    for (const type of ['ticket-updated', 'message-posted', 'reply-collision', 'sla-changed']) this.addEventListener(type, this);
    this.#live.start(this.params.id);
    this.load();
  }

  disconnectedCallback() {
    for (const type of ['ticket-updated', 'message-posted', 'reply-collision', 'sla-changed']) this.removeEventListener(type, this);
    this.#live.stop();
  }

  async load() {
    const id = this.params.id;
    try {
      const [ticket, thread] = await Promise.all([api(`/api/tickets/${id}`), api(`/api/tickets/${id}/messages`)]);
      if (ticket.mergedIntoId) return navigate(`/tickets/${ticket.mergedIntoId}?mergedFrom=${encodeURIComponent(ticket.reference)}`, { replace: true });
      this.ticket = ticket;
      this.messages = thread.messages;
      this.renderPage();
      this.loadTimeline();
      this.#live.loaded();
    } catch (error) {
      render(html`<section class="page narrow"><div class="error-state" role="alert">
        <h1>${error.status === 404 ? 'Ticket not found' : 'The ticket could not be loaded'}</h1>
        <p>${error.message}</p><p><a href="/tickets">Back to tickets</a></p></div></section>`, this);
    }
  }

  renderPage() {
    const t = this.ticket;
    document.title = `${t.reference} ${t.subject} · Help desk`;
    render(html`
      <article class="page" aria-labelledby="ticket-title">
        <p><a href="/tickets">← Tickets</a></p>
        <header class="ticket-head">
          <h1 id="ticket-title" class="ticket-title"><span class="ref">${t.reference}</span> <span class="subject">${t.subject}</span></h1>
          <p class="muted head-line"></p>
          <hd-presence show="viewers" class="ticket-viewers"></hd-presence>
          <div class="merge-slot"></div>
        </header>
        <div class="deleted-slot"></div>
        <p class="visually-hidden live-news" role="status" aria-live="polite"></p>
        <div class="ticket-layout">
          <div class="ticket-main">
            <section class="card description" aria-label="Description"><p class="ticket-description">${t.description || 'No description.'}</p></section>
            <h2 class="section-title">Conversation</h2>
            <hd-thread></hd-thread>
            <hd-presence show="typing" class="typing-indicator"></hd-presence>
            ${can('ticket.update') ? html`<hd-composer></hd-composer>` : ''}
          </div>
          <aside class="ticket-side" aria-label="Ticket details">
            <hd-sla-panel></hd-sla-panel>
            <hd-ticket-fields></hd-ticket-fields>
            <div class="collaboration-slot"></div>
            <section class="card" aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><hd-timeline></hd-timeline></section>
          </aside>
        </div>
      </article>`, this);
    for (const presence of this.querySelectorAll('hd-presence')) { presence.room = this.#live.room; presence.update(); }
    this.showHeadLine();
    this.showSla();
    const fields = this.querySelector('hd-ticket-fields');
    fields.ticket = t;
    fields.update();
    this.showThread();
    this.addCollaboration();
  }

  /** Merge action and notices, watchers and links (each follows its own live events). */
  addCollaboration() {
    const make = (tag, props) => Object.assign(document.createElement(tag), props);
    this.querySelector('.merge-slot').append(make('hd-ticket-merge', { ticket: this.ticket, page: this }));
    this.querySelector('.collaboration-slot').append(make('hd-ticket-watchers', { ticketId: this.ticket.id }),
      make('hd-ticket-links', { ticketId: this.ticket.id }));
  }

  showHeadLine() {
    const t = this.ticket;
    render(html`<span class="badge status-${t.status}">${label(t.status)}</span>
      <span class="priority priority-${t.priority}">${label(t.priority)}</span>
      · from ${t.requester.name || t.requester.email} · opened ${formatDateTime(t.createdAt)} · updated ${formatDateTime(t.updatedAt)}`,
    this.querySelector('.head-line'));
  }

  showThread(newerIds = new Set()) {
    const thread = this.querySelector('hd-thread');
    Object.assign(thread, { messages: this.messages, newerIds });
    thread.update();
    const composer = this.querySelector('hd-composer');
    if (!composer) return;
    composer.ticketId = this.ticket.id;
    composer.seen(this.messages.at(-1)?.id ?? null);
  }

  /** A message from the room (or the composer): shown once, and a colleague's reply warns a writing agent. */
  addMessage(message) {
    if (this.messages.some((known) => known.id === message.id)) return;
    this.messages = [...this.messages, message].sort((a, b) => a.id - b.id);
    const composer = this.querySelector('hd-composer');
    const mine = message.author.type === 'agent' && message.author.id === myId();
    if (!mine && message.kind === 'reply' && composer?.composing) composer.warnCollision(message);
    this.showThread();
    if (!mine) this.querySelector('.live-news').textContent = `New ${message.kind === 'note' ? 'note' : 'message'} from ${message.author.name || 'the system'}.`;
    this.loadTimeline();
  }

  /** A newer version of the ticket from the room: fields change in place. */
  remoteTicket(ticket, changedFields = null) {
    if (ticket.version <= this.ticket.version) return;
    this.ticket = ticket;
    this.showHeadLine();
    this.querySelector('#ticket-title .subject').textContent = ticket.subject;
    this.querySelector('.ticket-description').textContent = ticket.description || 'No description.';
    this.querySelector('hd-ticket-fields').applyRemote(ticket);
    this.showSla();
    if (changedFields?.length !== 0) this.loadTimeline();
  }

  /** An SLA warning or breach (or a policy change): only the SLA moves, not the version. */
  remoteSla(ticket) {
    if (ticket.version < this.ticket.version) return;
    this.ticket = { ...this.ticket, sla: ticket.sla };
    this.showSla();
  }

  showSla() {
    const panel = this.querySelector('hd-sla-panel');
    panel.ticket = this.ticket;
    panel.update();
  }

  showDeleted(reference) {
    this.ticket = { ...this.ticket, deleted: true };
    render(html`<div class="deleted-notice" role="alert"><strong>${reference} was deleted</strong> by another agent.
      Nothing you do here can be saved. <a href="/tickets">Back to tickets</a></div>`, this.querySelector('.deleted-slot'));
    for (const form of this.querySelectorAll('form')) form.inert = true;
  }

  /** After a merge into this ticket: the thread again, in the server's order. */
  async reloadThread(ticket = null) {
    this.messages = (await api(`/api/tickets/${this.ticket.id}/messages`)).messages;
    this.showThread();
    if (ticket) this.remoteTicket(ticket, null);
    this.loadTimeline();
  }

  /** After a resync: the ticket and the thread again over REST, merged without duplicates. */
  async refetch() {
    if (!this.ticket) return;
    const id = this.ticket.id;
    try {
      const [ticket, thread] = await Promise.all([api(`/api/tickets/${id}`), api(`/api/tickets/${id}/messages`)]);
      thread.messages.forEach((message) => this.addMessage(message));
      this.remoteTicket(ticket, null);
    } catch (error) {
      if (error.status === 404) this.showDeleted(this.ticket.reference);
    }
  }

  async loadTimeline() {
    const timeline = this.querySelector('hd-timeline');
    try {
      const { entries } = await api(`/api/tickets/${this.ticket.id}/timeline`);
      timeline.contacts = await requesterNames(entries);
      timeline.entries = entries;
    } catch {
      timeline.entries = [];
    }
    timeline.update();
  }

  handleEvent(event) {
    const { type, detail } = event;
    if (type === 'ticket-updated') {
      this.ticket = detail.ticket;
      this.showHeadLine();
      this.showSla();
      this.loadTimeline();
    } else if (type === 'sla-changed') {
      this.remoteSla(detail.ticket);
      this.loadTimeline();
    } else if (type === 'message-posted') {
      this.addMessage(detail.message);
      this.querySelector('hd-composer').seen(this.messages.at(-1).id);
    } else if (type === 'reply-collision') {
      const known = new Set(this.messages.map((message) => message.id));
      const fresh = detail.newerMessages.filter((message) => !known.has(message.id));
      this.messages = [...this.messages, ...fresh];
      this.showThread(new Set(fresh.map((message) => message.id)));
      const composer = this.querySelector('hd-composer');
      composer.lastMessageId = this.messages.at(-1)?.id ?? null;
    }
  }
}

export function define() {
  defineFields();
  defineThread();
  defineComposer();
  defineTimeline();
  definePresence();
  defineSlaPanel();
  defineWatchers();
  defineLinks();
  defineMerge();
  if (!customElements.get('hd-ticket-page')) customElements.define('hd-ticket-page', TicketPage);
}
