import { html, render } from '../app/html.js';
import { formatDateTime, relative } from '../app/format.js';
import { api } from '../app/api.js';
import { requesterNames } from '../app/contact-names.js';
import { can } from '../app/store.js';
import { actionText, keyLabel, valueText } from '../app/audit-values.js';

/** Keys that are bookkeeping, not news. */
const HIDDEN = new Set(['version', 'updatedAt', 'id', 'ticketId', 'ticketID']);

/**
 * The audit timeline, oldest first: who did what, when (a formatted date, never an ISO
 * string), and which fields moved from what to what, with labels and names instead of
 * keys and ids. Data down: `.entries` and `.contacts` (requester names by contact id), or
 * `.ticketId` and then `load()` to fetch both.
 */
export class Timeline extends HTMLElement {
  ticketId = null;
  entries = [];
  contacts = new Map();

  connectedCallback() { this.update(); }

  /** Loads ticket `ticketId`'s timeline and the requesters it names, then shows it (empty when it fails). */
  async load() {
    try {
      const { entries } = await api(`/api/tickets/${this.ticketId}/timeline`);
      this.contacts = await requesterNames(entries.map((entry) => ({
        before: entry.before && { requester: entry.before.requester ?? entry.before.requesterID },
        after: entry.after && { requester: entry.after.requester ?? entry.after.requesterID },
      })));
      this.entries = entries;
    } catch {
      this.entries = [];
    }
    this.update();
  }

  /** A workflow run names the workflow and links to its run log (for those who may read it). */
  workflowRun(entry) {
    const { workflow, run, outcome } = entry.after || {};
    return html` “${workflow}” (${String(outcome).replace('_', ' ')})${can('workflow.manage')
      ? html` · <a href="/settings/workflows?ticket=${this.ticketId}#run-${run}">Run log</a>` : ''}`;
  }

  changes(entry) {
    if (entry.action === 'workflow.ran' || !entry.before) return '';
    const before = entry.before;
    const after = entry.after || {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((key) => !HIDDEN.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    return html`<ul class="changes">${keys.map((key) => html`<li><span class="change-field">${keyLabel(key)}:</span>
      ${valueText(before[key], key, this.contacts)} → ${valueText(after[key], key, this.contacts)}</li>`)}</ul>`;
  }

  update() {
    render(this.entries.length ? html`<ol class="timeline">${this.entries.map((entry) => html`<li>
      <strong>${entry.actor.name || (entry.actor.type === 'system' ? 'System' : entry.actor.type === 'requester' ? 'The customer' : 'Someone')}</strong> ${actionText(entry)}${entry.action === 'workflow.ran' ? this.workflowRun(entry) : ''}
      <br><time class="muted" datetime="${entry.at}" title="${formatDateTime(entry.at)}">${relative(entry.at)}</time>${this.changes(entry)}</li>`)}</ol>`
      : html`<p class="muted">No history yet.</p>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-timeline')) customElements.define('hd-timeline', Timeline);
}
