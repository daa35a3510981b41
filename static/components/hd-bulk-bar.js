import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { options, agentOptions } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, label } from '../app/format.js';

/**
 * Bulk actions for the selection. Data down: `.count` (selected tickets) and
 * `.allMatching` (the whole filter is selected). Events up: `bulk-apply` {change}
 * or {delete: true}, `bulk-clear`.
 */
export class BulkBar extends HTMLElement {
  count = 0;
  allMatching = false;
  total = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('click', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('click', this);
  }

  update() {
    this.hidden = this.count === 0;
    if (this.hidden) return;
    const keep = [['', 'No change']];
    const assignees = [['', 'No change'], ['none', 'Unassigned'], ...agentOptions(store.state.agents)];
    const what = this.allMatching ? `All ${this.total ?? ''} matching tickets selected` : `${this.count} selected`;
    render(html`
      <form class="bulk-bar" aria-label="Bulk actions">
        <strong class="bulk-count" aria-live="polite">${what}</strong>
        <button type="button" class="link-button" data-action="clear">Clear selection</button>
        ${can('ticket.update') ? html`
          <label>Status <select name="status">${options([...keep, ...STATUSES], '')}</select></label>
          <label>Priority <select name="priority">${options([...keep, ...PRIORITIES], '')}</select></label>
          <label>Category <select name="category">${options([...keep, ...CATEGORIES], '')}</select></label>` : ''}
        ${can('ticket.assign') ? html`<label>Assignee <select name="assignee">${options(assignees, '')}</select></label>` : ''}
        <button type="submit" class="button primary">Apply</button>
        ${can('ticket.delete') ? html`<button type="button" class="button danger" data-action="delete">Delete</button>` : ''}
      </form>`, this);
  }

  /** The chosen change, as the bulk API wants it, plus a sentence describing it. */
  change() {
    const form = this.querySelector('form');
    const change = {};
    const words = [];
    for (const name of ['status', 'priority', 'category']) {
      const value = form.elements[name]?.value;
      if (value) { change[name] = value; words.push(`${name} to ${label(value)}`); }
    }
    const assignee = form.elements.assignee?.value;
    if (assignee) {
      change.assigneeId = assignee === 'none' ? null : Number(assignee);
      words.push(assignee === 'none' ? 'unassign' : `assign to ${store.state.agents.find((a) => a.id === Number(assignee))?.name}`);
    }
    return { change, words };
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      const { change, words } = this.change();
      this.dispatchEvent(new CustomEvent('bulk-apply', { bubbles: true, detail: { change, words } }));
    } else if (event.target.closest('[data-action="clear"]')) {
      this.dispatchEvent(new CustomEvent('bulk-clear', { bubbles: true }));
    } else if (event.target.closest('[data-action="delete"]')) {
      this.dispatchEvent(new CustomEvent('bulk-apply', { bubbles: true, detail: { delete: true } }));
    }
  }
}

export function define() {
  if (!customElements.get('hd-bulk-bar')) customElements.define('hd-bulk-bar', BulkBar);
}
