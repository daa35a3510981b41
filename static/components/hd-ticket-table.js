import { html, render } from '../app/html.js';
import { label, relative, formatDateTime, formatDate, isOverdue } from '../app/format.js';
import { avatars } from '../app/presence.js';
import { viewersOf } from '../app/viewing.js';
import { slaBadge } from '../app/sla.js';

const COLUMNS = [
  ['reference', 'Reference', 'reference'], ['subject', 'Subject'], ['requester', 'Requester'], ['status', 'Status'],
  ['priority', 'Priority', 'priority'], ['sla', 'SLA'], ['category', 'Category'], ['channel', 'Channel'], ['assignee', 'Assignee'],
  ['updated', 'Updated', 'updated'], ['due', 'Due', 'due'],
];

/**
 * The ticket table (on a phone, CSS turns each row into a card). Data down: `.tickets`,
 * `.sort`, `.selected` (a Set of ids), `.columns` (the optional column keys shown; null
 * for all), `.density` ('compact' or 'comfortable').
 * Events up: `sort-change` {sort}, `selection-change` {ids}, `filter-requester` {id}.
 */
export class TicketTable extends HTMLElement {
  tickets = [];
  sort = '-updated';
  selected = new Set();
  selectable = true;
  columns = null;
  density = 'compact';

  shows(key) {
    return key === 'reference' || key === 'subject' || !this.columns || this.columns.has(key);
  }

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('change', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('change', this);
  }

  header([key, text, sortKey]) {
    if (!sortKey) return html`<th scope="col">${text}</th>`;
    const active = this.sort.replace(/^-/, '') === sortKey;
    const descending = this.sort.startsWith('-');
    const aria = active ? (descending ? 'descending' : 'ascending') : 'none';
    return html`<th scope="col" aria-sort="${aria}" class="sortable"><button type="button" data-sort="${sortKey}">
      ${text}<span class="sort-mark" aria-hidden="true">${active ? (descending ? '↓' : '↑') : ''}</span></button></th>`;
  }

  row(ticket) {
    const checked = this.selected.has(ticket.id);
    return html`<tr class="${checked ? 'selected' : ''}" data-ticket-id="${ticket.id}">
      ${this.selectable ? html`<td class="check"><input type="checkbox" data-id="${ticket.id}" ${checked ? html`checked` : ''}
        aria-label="Select ${ticket.reference}"></td>` : ''}
      <td class="ref"><a href="/tickets/${ticket.id}">${ticket.reference}</a></td>
      <td class="subject"><a href="/tickets/${ticket.id}">${ticket.subject}</a>
        <span class="row-presence" data-presence="${ticket.id}">${avatars(viewersOf(ticket.id), { small: true })}</span>
        ${ticket.tags.length ? html`<span class="tags">${ticket.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</span>` : ''}</td>
      ${this.cells(ticket)}
    </tr>`;
  }

  /** The optional cells of `ticket`'s row, each labelled for the phone's card layout. */
  cells(ticket) {
    const overdue = isOverdue(ticket);
    const cell = {
      requester: () => html`<td class="col-requester" data-label="Requester"><button type="button" class="link-button" data-requester="${ticket.requester.id}"
        title="Show tickets from ${ticket.requester.email}">${ticket.requester.name || ticket.requester.email}</button></td>`,
      status: () => html`<td class="col-status" data-label="Status"><span class="badge status-${ticket.status}">${label(ticket.status)}</span></td>`,
      priority: () => html`<td class="col-priority" data-label="Priority"><span class="priority priority-${ticket.priority}">${label(ticket.priority)}</span></td>`,
      sla: () => html`<td class="col-sla" data-label="SLA">${slaBadge(ticket) || html`<span class="muted">No SLA</span>`}</td>`,
      category: () => html`<td class="col-category" data-label="Category">${label(ticket.category)}</td>`,
      channel: () => html`<td class="col-channel" data-label="Channel">${label(ticket.channel)}</td>`,
      assignee: () => html`<td class="col-assignee" data-label="Assignee">${ticket.assignee ? ticket.assignee.name : html`<span class="muted">Unassigned</span>`}</td>`,
      updated: () => html`<td class="col-updated" data-label="Updated"><time datetime="${ticket.updatedAt}" title="${formatDateTime(ticket.updatedAt)}">${relative(ticket.updatedAt)}</time></td>`,
      due: () => html`<td class="col-due" data-label="Due">${ticket.dueAt ? html`<time datetime="${ticket.dueAt}" class="${overdue ? 'overdue' : ''}"
        title="${formatDateTime(ticket.dueAt)}">${formatDate(ticket.dueAt)}${overdue ? ' (overdue)' : ''}</time>` : ''}</td>`,
    };
    return COLUMNS.map(([key]) => key).filter((key) => cell[key] && this.shows(key)).map((key) => cell[key]());
  }

  update() {
    // A live update re-renders the rows: the agent moving with j/k or Tab keeps their place.
    const active = this.contains(document.activeElement) ? document.activeElement : null;
    const focusedRow = active?.closest('tr[data-ticket-id]')?.dataset.ticketId;
    const focusedCheckbox = active?.matches('input[type="checkbox"]');
    const all = this.tickets.length > 0 && this.tickets.every((ticket) => this.selected.has(ticket.id));
    const some = this.tickets.some((ticket) => this.selected.has(ticket.id));
    render(html`
      <div class="table-wrap">
      <table class="tickets density-${this.density}">
        <caption class="visually-hidden">Tickets, sorted by ${this.sort.replace(/^-/, '')}</caption>
        <thead><tr>
          ${this.selectable ? html`<th scope="col" class="check"><input type="checkbox" data-all ${all ? html`checked` : ''}
            aria-label="Select all tickets on this page"></th>` : ''}
          ${COLUMNS.filter(([key]) => this.shows(key)).map((column) => this.header(column))}
        </tr></thead>
        <tbody>${this.tickets.map((ticket) => this.row(ticket))}</tbody>
      </table></div>`, this);
    const selectAll = this.querySelector('[data-all]');
    if (selectAll) selectAll.indeterminate = some && !all;
    const row = focusedRow && this.querySelector(`tr[data-ticket-id="${CSS.escape(focusedRow)}"]`);
    if (row && !row.contains(document.activeElement)) {
      row.classList.add('current');
      row.querySelector(focusedCheckbox ? 'input[type="checkbox"]' : 'td.ref a')?.focus({ preventScroll: true });
    }
  }

  /** Re-renders one ticket's row in place (a live change); `note` marks it changed or deleted. */
  updateRow(ticket, note = 'live-changed') {
    const old = this.querySelector(`tr[data-ticket-id="${ticket.id}"]`);
    if (!old) return;
    const template = document.createElement('template');
    template.innerHTML = this.row(ticket).text;
    const row = template.content.firstElementChild;
    row.classList.add(note);
    if (note === 'deleted') row.querySelector('.col-status').textContent = 'Deleted';
    old.replaceWith(row);
  }

  /** Refreshes the presence avatars of every row. */
  showPresence() {
    for (const slot of this.querySelectorAll('[data-presence]')) {
      const viewers = avatars(viewersOf(Number(slot.dataset.presence)), { small: true });
      if (slot.innerHTML !== String(viewers)) render(viewers, slot);
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  handleEvent(event) {
    const target = event.target;
    if (event.type === 'change' && target.matches('[data-all]')) {
      const ids = target.checked ? new Set([...this.selected, ...this.tickets.map((t) => t.id)]) : new Set();
      this.emit('selection-change', { ids });
    } else if (event.type === 'change' && target.dataset.id) {
      const ids = new Set(this.selected);
      if (target.checked) ids.add(Number(target.dataset.id)); else ids.delete(Number(target.dataset.id));
      this.emit('selection-change', { ids });
    } else if (event.type === 'click' && target.closest('[data-sort]')) {
      const key = target.closest('[data-sort]').dataset.sort;
      const current = this.sort.replace(/^-/, '');
      const sort = current === key ? (this.sort.startsWith('-') ? key : `-${key}`) : (key === 'reference' ? key : `-${key}`);
      this.emit('sort-change', { sort });
    } else if (event.type === 'click' && target.closest('[data-requester]')) {
      this.emit('filter-requester', { id: target.closest('[data-requester]').dataset.requester });
    }
  }
}

export function define() {
  if (!customElements.get('hd-ticket-table')) customElements.define('hd-ticket-table', TicketTable);
}
