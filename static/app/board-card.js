// One Kanban card's markup.
import { html } from './html.js';
import { label, STATUSES } from './format.js';
import { avatars } from './presence.js';
import { viewersOf } from './viewing.js';
import { slaBadge } from './sla.js';

/** A card for `ticket`; `menuOpen` shows its move menu (the keyboard alternative to dragging). */
export function card(ticket, { menuOpen = false, pending = false } = {}) {
  const requester = ticket.requester.name || ticket.requester.email;
  return html`<li><article class="board-card${pending ? ' pending' : ''}" draggable="true" tabindex="0"
      data-ticket-id="${ticket.id}" aria-label="${ticket.reference} ${ticket.subject}" aria-keyshortcuts="Shift+ArrowLeft Shift+ArrowRight"
      ${pending ? html`aria-busy="true"` : ''}>
    <header class="card-top"><a class="ref" href="/tickets/${ticket.id}" draggable="false">${ticket.reference}</a>
      <span class="priority priority-${ticket.priority}">${label(ticket.priority)}</span>${slaBadge(ticket)}</header>
    <p class="card-subject"><a href="/tickets/${ticket.id}" draggable="false">${ticket.subject}</a></p>
    <p class="card-meta"><span class="requester" title="Requester">${requester}</span>
      <span class="assignee">${ticket.assignee ? ticket.assignee.name : html`<span class="muted">Unassigned</span>`}</span></p>
    <footer class="card-foot"><span class="card-presence" data-presence="${ticket.id}">${avatars(viewersOf(ticket.id), { small: true })}</span>
      <button type="button" class="link-button card-move" data-move="${ticket.id}" aria-expanded="${menuOpen ? 'true' : 'false'}"
        aria-label="Move ${ticket.reference} to another column">Move</button></footer>
    ${menuOpen ? html`<div class="move-menu" role="group" aria-label="Move ${ticket.reference} to">
      ${STATUSES.filter(([value]) => value !== ticket.status).map(([value, text]) => html`<button type="button" class="button"
        data-move-to="${value}" data-ticket="${ticket.id}">${text}</button>`)}</div>` : ''}
  </article></li>`;
}
