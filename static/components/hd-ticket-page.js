import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { define as defineHeader } from './hd-ticket-header.js';
import { define as defineFields } from './hd-ticket-fields.js';
import { define as defineThread } from './hd-thread.js';
import { define as defineComposer } from './hd-composer.js';
import { define as defineTimeline } from './hd-timeline.js';
import { define as definePresence } from './hd-presence.js';
import { define as defineSlaPanel } from './hd-sla-panel.js';
import { define as defineWatchers } from './hd-ticket-watchers.js';
import { define as defineLinks } from './hd-ticket-links.js';
import { define as defineMerge } from './hd-ticket-merge.js';
import { define as defineAccessLink } from './hd-access-link.js';
import { define as defineSurvey } from './hd-ticket-survey.js';
import { define as defineCCs } from './hd-ticket-ccs.js';
import { TicketLive } from '../app/ticket-live.js';
import { TicketPageUpdates } from '../app/ticket-page-updates.js';
import { navigate } from '../app/router.js';
import { emailMark } from '../app/email-message.js';

/** What the page's own components report (handled by TicketPageUpdates). */
const LOCAL_EVENTS = ['ticket-updated', 'message-posted', 'reply-collision', 'sla-changed', 'timeline-changed'];

/**
 * One ticket: its header, the conversation with the composer, its properties and audit
 * timeline. Later changes (the room, a resync, a merge) go through `.updates`.
 */
export class TicketPage extends HTMLElement {
  params = {};
  ticket = null;
  messages = [];
  startingEmail = null;
  updates = new TicketPageUpdates(this);
  #live = new TicketLive(this, this.updates);

  connectedCallback() {
    render(html`<section class="page"><p class="loading" role="status">Loading the ticket…</p></section>`, this);
    for (const type of LOCAL_EVENTS) this.addEventListener(type, this.updates);
    this.#live.start(this.params.id);
    this.load();
  }

  disconnectedCallback() {
    for (const type of LOCAL_EVENTS) this.removeEventListener(type, this.updates);
    this.#live.stop();
  }

  async load() {
    const id = this.params.id;
    try {
      const [ticket, thread] = await Promise.all([api(`/api/tickets/${id}`), api(`/api/tickets/${id}/messages`)]);
      if (ticket.mergedIntoId) return navigate(`/tickets/${ticket.mergedIntoId}?mergedFrom=${encodeURIComponent(ticket.reference)}`, { replace: true });
      this.ticket = ticket;
      this.messages = thread.messages;
      this.startingEmail = thread.startingEmail;
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
        <hd-ticket-header></hd-ticket-header>
        <div class="deleted-slot"></div>
        <p class="visually-hidden live-news" role="status" aria-live="polite"></p>
        <div class="ticket-layout">
          <div class="ticket-main">
            <section class="card description" aria-label="Description">${this.startingEmail ? html`<p class="description-email">${emailMark({ email: this.startingEmail })}</p>` : ''}<p class="ticket-description">${t.description || 'No description.'}</p></section>
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
    this.showHeader();
    this.showSla();
    const fields = this.querySelector('hd-ticket-fields');
    fields.ticket = t;
    fields.update();
    this.showThread();
    this.addCollaboration();
  }

  /** Merge action and notices, CCs, watchers and links (each follows its own live events). */
  addCollaboration() {
    const make = (tag, props) => Object.assign(document.createElement(tag), props);
    this.querySelector('.merge-slot').append(make('hd-ticket-merge', { ticket: this.ticket, page: this }));
    this.querySelector('.collaboration-slot').append(make('hd-ticket-ccs', { ticketId: this.ticket.id }),
      make('hd-ticket-watchers', { ticketId: this.ticket.id }),
      make('hd-ticket-links', { ticketId: this.ticket.id }));
    this.querySelector('.collaboration-slot').prepend(make('hd-ticket-survey', { ticketId: this.ticket.id }));
    if (can('ticket.update')) this.querySelector('.collaboration-slot').append(make('hd-access-link', { ticketId: this.ticket.id }));
  }

  showHeader() {
    const header = this.querySelector('hd-ticket-header');
    header.ticket = this.ticket;
    header.update();
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

  showSla() {
    const panel = this.querySelector('hd-sla-panel');
    panel.ticket = this.ticket;
    panel.update();
  }

  loadTimeline() {
    const timeline = this.querySelector('hd-timeline');
    timeline.ticketId = this.ticket.id;
    timeline.load();
  }
}

export function define() {
  defineHeader();
  defineFields();
  defineThread();
  defineComposer();
  defineTimeline();
  definePresence();
  defineSlaPanel();
  defineWatchers();
  defineLinks();
  defineMerge();
  defineAccessLink();
  defineSurvey();
  defineCCs();
  if (!customElements.get('hd-ticket-page')) customElements.define('hd-ticket-page', TicketPage);
}
