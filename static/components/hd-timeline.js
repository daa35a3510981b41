import { html, render } from '../app/html.js';
import { formatDateTime, label } from '../app/format.js';
import { api } from '../app/api.js';
import { requesterNames } from '../app/contact-names.js';
import { can } from '../app/store.js';

const ACTIONS = {
  'ticket.created': 'created the ticket', 'ticket.updated': 'updated the ticket', 'ticket.status_changed': 'changed the status',
  'ticket.assigned': 'changed the assignee', 'ticket.deleted': 'deleted the ticket', 'message.reply': 'replied',
  'message.note': 'added an internal note', 'attachment.added': 'attached a file',
  'ticket.bulk_updated': 'changed the ticket in a bulk action', 'ticket.bulk_deleted': 'deleted the ticket in a bulk action',
  'access_link.issued': 'created the requester link', 'access_link.regenerated': 'regenerated the requester link',
  'access_link.expiry_changed': 'changed the requester link expiry',
  'workflow.ran': 'ran a workflow',
  'survey.created': 'sent a satisfaction survey', 'survey.rated': 'rated the help', 'survey.cancelled': 'cancelled the satisfaction survey',
};

function show(value, key, contacts) {
  if (key === 'requester' && contacts.has(value)) return contacts.get(value);
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.join(', ') || '—';
  if (typeof value === 'object') return value.name ?? value.email ?? JSON.stringify(value);
  return label(String(value));
}

/**
 * The audit timeline, oldest first. Data down: `.entries` and `.contacts` (requester
 * names by contact id), or `.ticketId` and then `load()` to fetch both.
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
      this.contacts = await requesterNames(entries);
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
    if (entry.action === 'workflow.ran') return '';
    const before = entry.before || {};
    const after = entry.after || {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((key) => !['version', 'updatedAt', 'id'].includes(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    if (!entry.before) return '';
    return html`<ul class="changes">${keys.map((key) => html`<li>${key}: ${show(before[key], key, this.contacts)} → ${show(after[key], key, this.contacts)}</li>`)}</ul>`;
  }

  update() {
    render(this.entries.length ? html`<ol class="timeline">${this.entries.map((entry) => html`<li>
      <strong>${entry.actor.name || (entry.actor.type === 'system' ? 'System' : 'Someone')}</strong> ${ACTIONS[entry.action] || entry.action}${entry.action === 'workflow.ran' ? this.workflowRun(entry) : ''}
      <br><time class="muted" datetime="${entry.at}">${formatDateTime(entry.at)}</time>${this.changes(entry)}</li>`)}</ol>`
      : html`<p class="muted">No history yet.</p>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-timeline')) customElements.define('hd-timeline', Timeline);
}
