import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { api } from '../app/api.js';
import { myId } from '../app/live.js';
import { options, agentOptions, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, CHANNELS, toLocalInput } from '../app/format.js';
import { FIELDS, fieldsOf, same, patchBody, controlValue, shown, fieldName, readForm } from '../app/ticket-field-values.js';
import { define as defineRequester } from './hd-requester-field.js';
import { define as defineConflict } from './hd-ticket-conflict.js';

/**
 * The ticket's properties as a compact bar under its title: status, priority, assignee
 * ("Assign to me"), category, channel, due date and tags, each applied as soon as it
 * changes (a PATCH of that field alone, at the ticket's version); the requester through
 * its own editor and "Save requester". When another agent saved first (409) it shows both
 * versions side by side. Data down: `.ticket`. Emits `ticket-updated` {ticket}.
 */
export class TicketFields extends HTMLElement {
  ticket = null;
  #conflict = null;
  /** The PATCH on its way, so the change event of a re-rendered control never sends it twice. */
  #inFlight = null;

  connectedCallback() {
    for (const type of EVENTS) this.addEventListener(type, this);
    this.update();
  }

  disconnectedCallback() {
    for (const type of EVENTS) this.removeEventListener(type, this);
  }

  update() {
    const t = this.ticket;
    if (!t) return;
    const editable = can('ticket.update');
    const field = (id, text, control, extra = '') => html`<div class="field ${extra}"><label for="${id}">${text}</label>${control}</div>`;
    const assignees = [['', 'Unassigned'], ...agentOptions(store.state.agents)];
    const mine = t.assignee?.id === myId();
    render(html`
      <form class="ticket-bar" aria-label="Ticket properties" novalidate>
        <hd-ticket-conflict class="conflict-slot" aria-live="assertive"></hd-ticket-conflict>
        <fieldset ${editable ? '' : html`disabled`} class="bare bar-fields">
          ${field('f-status', 'Status', html`<select id="f-status" name="status" aria-keyshortcuts="s">${options(STATUSES, t.status)}</select>`)}
          ${field('f-priority', 'Priority', html`<select id="f-priority" name="priority">${options(PRIORITIES, t.priority)}</select>`)}
          ${field('f-assignee', 'Assignee', html`<span class="assignee-control"><select id="f-assignee" name="assigneeId" ${can('ticket.assign') ? '' : html`disabled`}>${options(assignees, t.assignee?.id ?? '')}</select>${can('ticket.assign') && !mine ? html`<button type="button" class="button small" data-action="assign-me" aria-keyshortcuts="i">Assign to me</button>` : ''}</span>`, 'assignee-field')}
          ${field('f-category', 'Category', html`<select id="f-category" name="category">${options(CATEGORIES, t.category)}</select>`)}
          ${field('f-channel', 'Channel', html`<select id="f-channel" name="channel">${options(CHANNELS, t.channel)}</select>`)}
          ${field('f-due', 'Due', html`<input id="f-due" name="dueAt" type="datetime-local" value="${toLocalInput(t.dueAt)}">`)}
          ${field('f-tags', 'Tags', html`<input id="f-tags" name="tags" value="${t.tags.join(', ')}" aria-describedby="f-tags-hint" title="Separate tags with commas"><span class="visually-hidden" id="f-tags-hint">Separate tags with commas; saved when you leave the field or press Enter.</span>`, 'tags-field')}
          <div class="requester-slot field"><hd-requester-field></hd-requester-field>
            ${editable ? html`<button type="submit" class="button small primary save-requester" hidden>Save requester</button>` : ''}</div>
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
    return readForm(this.querySelector('form'), this.querySelector('hd-requester-field').value);
  }

  /**
   * The keys the agent changed relative to the ticket they loaded. The due date compares
   * as the control shows it (to the minute), so an untouched due date with seconds is
   * never sent back rewritten.
   */
  changes(base = this.ticket) {
    const mine = this.read();
    const original = fieldsOf(base);
    const form = this.querySelector('form');
    return Object.fromEntries(FIELDS.filter((key) => (key === 'dueAt'
      ? form.elements.dueAt.value !== toLocalInput(base.dueAt)
      : !same(mine[key], original[key]))).map((key) => [key, mine[key]]));
  }

  async save(changes, version) {
    const form = this.querySelector('form');
    clearFieldErrors(form);
    if (Object.keys(changes).length === 0) return;
    const key = JSON.stringify([changes, version]);
    if (this.#inFlight === key) return;
    this.#inFlight = key;
    try {
      const ticket = await api(`/api/tickets/${this.ticket.id}`, { method: 'PATCH', body: patchBody(changes, version) });
      this.#conflict = null;
      const focused = document.activeElement?.id;
      if (ticket.version >= this.ticket.version) this.ticket = ticket;
      this.update();
      if (focused) this.querySelector(`#${focused}`)?.focus();
      announce(`${ticket.reference}: ${Object.keys(changes).map(fieldName).join(', ')} saved.`);
      this.dispatchEvent(new CustomEvent('ticket-updated', { bubbles: true, detail: { ticket } }));
    } catch (error) {
      if (error.status === 409 && error.problem.currentTicket) {
        this.#conflict = { theirs: error.problem.currentTicket, mine: changes };
        this.showConflict();
      } else if (!showFieldError(form, error)) {
        announce(error.message, 'error');
      }
    } finally {
      this.#inFlight = null;
    }
  }

  /** Applies one field at once (the header's controls, a shortcut, "Send and set status"). */
  apply(key, value) {
    if (!this.ticket || this.#conflict) return;
    if (same(fieldsOf(this.ticket)[key], value)) return;
    return this.save({ [key]: value }, this.ticket.version);
  }

  /** Sets the status after the agent's own reply, on the ticket as the server has it now. */
  async setStatusAfterReply(status) {
    const fresh = await api(`/api/tickets/${this.ticket.id}`);
    if (fresh.version > this.ticket.version) this.ticket = fresh;
    if (fresh.status === status) return;
    return this.save({ status }, fresh.version);
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
    this.showAssignMe();
    if (changed.length && !mine) announce(`${ticket.reference}: ${changed.map(fieldName).join(', ')} changed by someone else.`);
    this.lockIfClosed();
  }

  showAssignMe() {
    const button = this.querySelector('[data-action="assign-me"]');
    if (button) button.hidden = this.ticket.assignee?.id === myId();
  }

  showConflict() {
    const view = this.querySelector('hd-ticket-conflict');
    Object.assign(view, { base: this.ticket, conflict: this.#conflict });
    view.update();
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'submit') {
      event.preventDefault();
      if (this.#conflict) return;
      const { requester } = this.changes();
      if (requester) this.save({ requester }, this.ticket.version);
    } else if (type === 'change' && target.name && FIELD_CONTROLS.has(target.name)) {
      if (this.#conflict) { this.#conflict = { ...this.#conflict, mine: { ...this.#conflict.mine, ...this.changes() } }; this.showConflict(); return; }
      const key = target.name;
      const changes = this.changes();
      if (key in changes) this.save({ [key]: changes[key] }, this.ticket.version);
    } else if (type === 'keydown' && event.key === 'Enter' && target.name === 'tags') {
      // Enter saves the tags at once and never submits the form.
      event.preventDefault();
      target.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (type === 'click' && target.closest('[data-action="assign-me"]')) {
      this.apply('assigneeId', myId());
    } else if (type === 'click' && target.closest('[data-action="edit-requester"], [data-action="keep-requester"]')) {
      queueMicrotask(() => { const save = this.querySelector('.save-requester'); if (save) save.hidden = !this.querySelector('hd-requester-field').editing; });
    } else if (type === 'conflict-choice' && event.detail.choice === 'theirs') {
      this.ticket = this.#conflict.theirs;
      this.#conflict = null;
      this.update();
      this.dispatchEvent(new CustomEvent('ticket-updated', { bubbles: true, detail: { ticket: this.ticket } }));
    } else if (type === 'conflict-choice' && event.detail.choice === 'mine') {
      this.save(this.#conflict.mine, this.#conflict.theirs.version);
    }
  }
}

const EVENTS = ['submit', 'change', 'click', 'keydown', 'conflict-choice'];
const FIELD_CONTROLS = new Set(['status', 'priority', 'category', 'channel', 'assigneeId', 'dueAt', 'tags']);

export function define() {
  defineRequester();
  defineConflict();
  if (!customElements.get('hd-ticket-fields')) customElements.define('hd-ticket-fields', TicketFields);
}
