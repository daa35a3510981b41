import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { label, relative, formatDateTime } from '../app/format.js';

/** How many of the requester's other tickets the panel lists; the link shows them all. */
const SHOWN = 5;

/**
 * Who asked: the requester's name and email and their other tickets, newest first, with a
 * link to all of them in the list. Data down: `.ticket`, then `update()` (reloads only
 * when the requester changed).
 */
export class RequesterPanel extends HTMLElement {
  ticket = null;
  #loadedFor = null;
  #others = null;

  update() {
    const t = this.ticket;
    if (!t) return;
    if (this.#loadedFor !== t.requester.id) this.load(t.requester.id);
    this.show();
  }

  async load(requesterId) {
    this.#loadedFor = requesterId;
    this.#others = null;
    try {
      const page = await api(`/api/tickets?requester=${requesterId}&sort=-updated&limit=${SHOWN + 1}`);
      if (this.#loadedFor === requesterId) this.#others = page;
    } catch {
      this.#others = { tickets: [], total: 0 };
    }
    this.show();
  }

  show() {
    const t = this.ticket;
    const r = t.requester;
    const others = this.#others ? this.#others.tickets.filter((ticket) => ticket.id !== t.id).slice(0, SHOWN) : null;
    const total = this.#others ? Math.max((this.#others.total ?? others.length + 1) - 1, others.length) : 0;
    render(html`<section class="card requester-panel" aria-labelledby="requester-panel-title">
      <h2 id="requester-panel-title">Requester</h2>
      <p class="requester-name"><strong>${r.name || r.email}</strong><br><a class="muted" href="mailto:${r.email}">${r.email}</a></p>
      <h3 class="small-title">Other tickets</h3>
      ${others === null ? html`<p class="muted">Loading…</p>` : others.length === 0 ? html`<p class="muted">No other tickets from ${r.name || r.email}.</p>`
        : html`<ul class="other-tickets">${others.map((ticket) => html`<li><a href="/tickets/${ticket.id}">${ticket.reference} ${ticket.subject}</a>
          <span class="muted"><span class="badge status-${ticket.status}">${label(ticket.status)}</span>
          <time datetime="${ticket.updatedAt}" title="${formatDateTime(ticket.updatedAt)}">${relative(ticket.updatedAt)}</time></span></li>`)}</ul>
          ${total > others.length ? html`<p><a href="/tickets?requester=${r.id}">All ${total} tickets from ${r.name || r.email}</a></p>` : ''}`}
    </section>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-requester-panel')) customElements.define('hd-requester-panel', RequesterPanel);
}
