import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { formatDateTime } from '../app/format.js';

const MARK = { done: '✓', skipped: '–', failed: '✗' };

/**
 * The run log, newest first: which event, which conditions held, each action's result.
 * Attribute `ticket` narrows it to one ticket (the ticket timeline links here).
 */
export class WorkflowRuns extends HTMLElement {
  runs = [];

  connectedCallback() { this.load(); }

  async load() {
    const ticket = this.getAttribute('ticket');
    try {
      this.runs = (await api(`/api/workflows/runs?limit=50${ticket ? `&ticketId=${encodeURIComponent(ticket)}` : ''}`)).runs;
    } catch (error) {
      this.runs = [];
      this.error = error.message;
    }
    this.update();
  }

  update() {
    const ticket = this.getAttribute('ticket');
    render(html`<section class="wf-runs" aria-labelledby="wf-runs-title">
      <h3 class="section-title" id="wf-runs-title">Run log${ticket ? ` of ticket ${ticket}` : ''}</h3>
      ${ticket ? html`<p><a href="/settings/workflows">Show every run</a></p>` : ''}
      <button type="button" class="button" data-refresh>Refresh</button>
      ${this.runs.length ? html`<ol class="wf-run-list">${this.runs.map((r) => html`<li class="card" id="run-${r.id}">
        <strong>${r.workflowName}</strong> <span class="muted">run ${r.id} · ${r.trigger}${r.eventId ? ` (event ${r.eventId})` : ''} · depth ${r.depth}
          · <time datetime="${r.at}">${formatDateTime(r.at)}</time></span>
        ${r.ticketId ? html` · <a href="/tickets/${r.ticketId}">ticket ${r.ticketId}</a>` : ''}
        <span class="badge wf-outcome-${r.outcome}">${r.outcome.replace('_', ' ')}</span>
        ${r.conditions.length ? html`<ul class="wf-run-conditions">${r.conditions.map((c) => html`<li>${c.matched ? '✓' : '✗'} ${c.field} ${c.op.replace('_', ' ')} ${c.value ?? ''}</li>`)}</ul>` : ''}
        <ol class="wf-run-actions">${r.actions.map((a) => html`<li>${MARK[a.status]} ${a.type.replace('_', ' ')}: ${a.detail}</li>`)}</ol></li>`)}</ol>`
        : html`<p class="muted">${this.error || 'No runs yet.'}</p>`}</section>`, this);
    this.querySelector('[data-refresh]').addEventListener('click', () => this.load(), { once: true });
  }
}

export function define() {
  if (!customElements.get('hd-workflow-runs')) customElements.define('hd-workflow-runs', WorkflowRuns);
}
