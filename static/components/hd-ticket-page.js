import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { label, formatDateTime } from '../app/format.js';
import { define as defineFields } from './hd-ticket-fields.js';
import { define as defineThread } from './hd-thread.js';
import { define as defineComposer } from './hd-composer.js';
import { define as defineTimeline } from './hd-timeline.js';

/** One ticket: its header, the conversation with the composer, its properties and audit timeline. */
export class TicketPage extends HTMLElement {
  params = {};
  ticket = null;
  messages = [];

  connectedCallback() {
    render(html`<section class="page"><p class="loading" role="status">Loading the ticket…</p></section>`, this);
    for (const type of ['ticket-updated', 'message-posted', 'reply-collision']) this.addEventListener(type, this);
    this.load();
  }

  disconnectedCallback() {
    for (const type of ['ticket-updated', 'message-posted', 'reply-collision']) this.removeEventListener(type, this);
  }

  async load() {
    const id = this.params.id;
    try {
      const [ticket, thread] = await Promise.all([api(`/api/tickets/${id}`), api(`/api/tickets/${id}/messages`)]);
      this.ticket = ticket;
      this.messages = thread.messages;
      this.renderPage();
      this.loadTimeline();
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
        </header>
        <div class="ticket-layout">
          <div class="ticket-main">
            <section class="card description" aria-label="Description"><p class="ticket-description">${t.description || 'No description.'}</p></section>
            <h2 class="section-title">Conversation</h2>
            <hd-thread></hd-thread>
            ${can('ticket.update') ? html`<hd-composer></hd-composer>` : ''}
          </div>
          <aside class="ticket-side" aria-label="Ticket details">
            <hd-ticket-fields></hd-ticket-fields>
            <section class="card" aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><hd-timeline></hd-timeline></section>
          </aside>
        </div>
      </article>`, this);
    this.showHeadLine();
    const fields = this.querySelector('hd-ticket-fields');
    fields.ticket = t;
    fields.update();
    this.showThread();
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
    if (composer) Object.assign(composer, { ticketId: this.ticket.id, lastMessageId: this.messages.at(-1)?.id ?? null });
  }

  async loadTimeline() {
    const timeline = this.querySelector('hd-timeline');
    try {
      timeline.entries = (await api(`/api/tickets/${this.ticket.id}/timeline`)).entries;
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
      this.loadTimeline();
    } else if (type === 'message-posted') {
      this.messages = [...this.messages, detail.message];
      this.showThread();
      this.loadTimeline();
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
  if (!customElements.get('hd-ticket-page')) customElements.define('hd-ticket-page', TicketPage);
}
