import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { api } from '../app/api.js';
import { options, agentOptions, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, CHANNELS, toLocalInput, fromLocalInput } from '../app/format.js';
import { FIELDS, fieldsOf, same, patchBody, controlValue, shown, fieldName } from '../app/ticket-field-values.js';
import { define as defineRequester } from './hd-requester-field.js';
import { define as defineConflict } from './hd-ticket-conflict.js';

/**
 * The editable properties of a ticket. Data down: `.ticket`. Saves with the ticket's
 * version; when another agent saved first (409) it shows both versions side by side
 * and lets the agent keep theirs or apply their own. Emits `ticket-updated` {ticket}.
 */
export class TicketFields extends HTMLElement {
  ticket = null;
  #conflict = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('conflict-choice', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('conflict-choice', this);
  }

  update() {
    const t = this.ticket;
    if (!t) return;
    const editable = can('ticket.update');
    const field = (id, text, control) => html`<div class="field"><label for="${id}">${text}</label>${control}</div>`;
    const assignees = [['', 'Unassigned'], ...agentOptions(store.state.agents)];
    render(html`
      <form class="card side-fields" aria-labelledby="fields-title" novalidate>
        <h2 id="fields-title">Properties</h2>
        <hd-ticket-conflict class="conflict-slot" aria-live="assertive"></hd-ticket-conflict>
        <fieldset ${editable ? '' : html`disabled`} class="bare">
          ${field('f-status', 'Status', html`<select id="f-status" name="status">${options(STATUSES, t.status)}</select>`)}
          ${field('f-priority', 'Priority', html`<select id="f-priority" name="priority">${options(PRIORITIES, t.priority)}</select>`)}
          ${field('f-category', 'Category', html`<select id="f-category" name="category">${options(CATEGORIES, t.category)}</select>`)}
          ${field('f-channel', 'Channel', html`<select id="f-channel" name="channel">${options(CHANNELS, t.channel)}</select>`)}
          ${field('f-assignee', 'Assignee', html`<select id="f-assignee" name="assigneeId" ${can('ticket.assign') ? '' : html`disabled`}>${options(assignees, t.assignee?.id ?? '')}</select>`)}
          ${field('f-due', 'Due', html`<input id="f-due" name="dueAt" type="datetime-local" value="${toLocalInput(t.dueAt)}">`)}
          ${field('f-tags', 'Tags', html`<input id="f-tags" name="tags" value="${t.tags.join(', ')}" aria-describedby="f-tags-hint"><p class="hint" id="f-tags-hint">Separate tags with commas.</p>`)}
          <hd-requester-field class="field"></hd-requester-field>
          ${editable ? html`<button type="submit" class="button primary wide">Save changes</button>` : ''}
        </fieldset>
      </form>`, this);
    this.querySelector('hd-requester-field').value = t.requester;
    if (this.#conflict) this.showConflict();
    this.lockIfClosed();
  }

  /** A Closed ticket is archived: only its status (to reopen it) can change. */
  lockIfClosed() {
    const closed = this.ticket?.status === 'closed';
    for (const control of this.querySelectorAll('fieldset [name], hd-requester-field input')) {
      if (control.name !== 'status') control.disabled = closed || (control.name === 'assigneeId' && !can('ticket.assign'));
    }
  }

  /** The fields as the form shows them. */
  read() {
    const form = this.querySelector('form');
    const value = (name) => form.elements[name].value;
    return { status: value('status'), priority: value('priority'), category: value('category'), channel: value('channel'),
      assigneeId: value('assigneeId') ? Number(value('assigneeId')) : null, dueAt: fromLocalInput(value('dueAt')),
      tags: value('tags').split(',').map((tag) => tag.trim()).filter(Boolean), requester: this.querySelector('hd-requester-field').value };
  }

  /** The keys the agent changed relative to the ticket they loaded. */
  changes(base = this.ticket) {
    const mine = this.read();
    const original = fieldsOf(base);
    return Object.fromEntries(FIELDS.filter((key) => !same(mine[key], original[key])).map((key) => [key, mine[key]]));
  }

  async save(changes, version) {
    const form = this.querySelector('form');
    clearFieldErrors(form);
    if (Object.keys(changes).length === 0) return announce('Nothing changed.');
    try {
      const ticket = await api(`/api/tickets/${this.ticket.id}`, { method: 'PATCH', body: patchBody(changes, version) });
      this.#conflict = null;
      if (ticket.version >= this.ticket.version) this.ticket = ticket;
      this.update();
      announce(`${ticket.reference} saved.`);
      this.dispatchEvent(new CustomEvent('ticket-updated', { bubbles: true, detail: { ticket } }));
    } catch (error) {
      if (error.status === 409 && error.problem.currentTicket) {
        this.#conflict = { theirs: error.problem.currentTicket, mine: changes };
        this.showConflict();
      } else if (!showFieldError(form, error)) {
        announce(error.message, 'error');
      }
    }
  }

  /**
   * A newer version saved by someone else. Fields the agent is not editing take it in
   * place, marked as changed; a field they are editing keeps their value, says what it
   * is now, and keeps the old version as the base so saving leads to the conflict view.
   */
  applyRemote(ticket, { mine = false } = {}) {
    const form = this.querySelector('form');
    if (!form || this.#conflict) { if (!this.#conflict) this.ticket = ticket; return; }
    form.querySelectorAll('.remote-change').forEach((node) => node.remove());
    const edits = this.changes();
    const before = fieldsOf(this.ticket);
    const now = fieldsOf(ticket);
    const changed = FIELDS.filter((key) => !same(before[key], now[key]));
    // The agent's own save (here, or in another tab) is taken in without a flag.
    const clashes = mine ? [] : changed.filter((key) => key in edits && !same(edits[key], now[key]));
    if (clashes.length === 0) this.ticket = ticket;
    for (const key of changed) {
      const control = key === 'requester' ? form.querySelector('hd-requester-field') : form.elements[key];
      if (clashes.length === 0 && !(key in edits)) control.value = controlValue(key, ticket);
      if (mine) continue;
      const note = document.createElement('p');
      note.className = `remote-change${clashes.includes(key) ? ' clash' : ''}`;
      note.textContent = clashes.length ? `Now ${shown(key, now[key], store.state.agents)}, saved by someone else` : 'Changed by someone else just now';
      control.closest('.field').append(note);
    }
    if (changed.length && !mine) announce(`${ticket.reference}: ${changed.map(fieldName).join(', ')} changed by someone else.`);
    this.lockIfClosed();
  }

  showConflict() {
    const view = this.querySelector('hd-ticket-conflict');
    Object.assign(view, { base: this.ticket, conflict: this.#conflict });
    view.update();
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      this.save(this.changes(), this.ticket.version);
    } else if (event.detail.choice === 'theirs') {
      this.ticket = this.#conflict.theirs;
      this.#conflict = null;
      this.update();
      this.dispatchEvent(new CustomEvent('ticket-updated', { bubbles: true, detail: { ticket: this.ticket } }));
    } else if (event.detail.choice === 'mine') {
      this.save(this.#conflict.mine, this.#conflict.theirs.version);
    }
  }
}

export function define() {
  defineRequester();
  defineConflict();
  if (!customElements.get('hd-ticket-fields')) customElements.define('hd-ticket-fields', TicketFields);
}
