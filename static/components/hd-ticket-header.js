import { html, render } from '../app/html.js';
import { label, formatDateTime } from '../app/format.js';

/**
 * The ticket page's header: reference and subject, status, priority, requester and dates,
 * with slots the page fills (who else views it, the merge action). Data down: `.ticket`,
 * then `update()`, which changes the texts in place and leaves the slots alone.
 */
export class TicketHeader extends HTMLElement {
  ticket = null;

  connectedCallback() {
    render(html`<header class="ticket-head">
      <h1 id="ticket-title" class="ticket-title"><span class="ref"></span> <span class="subject"></span></h1>
      <p class="muted head-line"></p>
      <hd-presence show="viewers" class="ticket-viewers"></hd-presence>
      <div class="merge-slot"></div>
    </header>`, this);
    this.update();
  }

  update() {
    const t = this.ticket;
    if (!t || !this.firstElementChild) return;
    this.querySelector('#ticket-title .ref').textContent = t.reference;
    this.querySelector('#ticket-title .subject').textContent = t.subject;
    render(html`<span class="badge status-${t.status}">${label(t.status)}</span>
      <span class="priority priority-${t.priority}">${label(t.priority)}</span>
      · from ${t.requester.name || t.requester.email} · opened ${formatDateTime(t.createdAt)} · updated ${formatDateTime(t.updatedAt)}`,
    this.querySelector('.head-line'));
  }
}

export function define() {
  if (!customElements.get('hd-ticket-header')) customElements.define('hd-ticket-header', TicketHeader);
}
