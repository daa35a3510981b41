import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { options, announce } from '../app/controls.js';
import { formatDateTime } from '../app/format.js';

const SHORT = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
import { slaBadge, dueTime, metricName } from '../app/sla.js';
import { icon } from '../app/icons.js';
import { businessTime, businessDayMinutes } from '../app/sla-policy-form.js';

let policiesOnce = null; // the policy list, fetched once per page load for the selector

/**
 * A ticket's SLA: its status, every metric (target, due time, time left or overdue,
 * met or breached) and, for agents with ticket.update, the policy selector.
 * Data down: `.ticket`. Emits `sla-changed` {ticket} after the policy changed.
 */
export class SlaPanel extends HTMLElement {
  ticket = null;
  policies = [];

  connectedCallback() {
    this.addEventListener('change', this);
    policiesOnce ??= api('/api/sla-policies').then((body) => body.policies).catch(() => { policiesOnce = null; return []; });
    policiesOnce.then((policies) => { this.policies = policies; this.update(); });
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('change', this);
  }

  state(metric) {
    if (metric.met) return html`<span class="sla-state met">${icon('check')} Met ${metric.metAt ? html`<time datetime="${metric.metAt}">${formatDateTime(metric.metAt)}</time>` : ''}</span>`;
    if (metric.breached) return html`<span class="sla-state breached">${icon('cross')} Breached${metric.running && metric.dueAt ? html` · ${dueTime(metric.dueAt, true)}` : ''}</span>`;
    if (!metric.running) return html`<span class="sla-state paused">${icon('pause')} Paused</span>`;
    return metric.dueAt ? dueTime(metric.dueAt) : '';
  }

  row(metric, dayMinutes) {
    return html`<tr data-metric="${metric.metric}">
      <th scope="row">${metricName(metric.metric)}<span class="sla-target">${businessTime(metric.targetMinutes, dayMinutes)}</span></th>
      <td>${metric.dueAt ? html`<time datetime="${metric.dueAt}" title="${formatDateTime(metric.dueAt)}">${SHORT.format(new Date(metric.dueAt))}</time>` : '—'}</td>
      <td>${this.state(metric)}</td></tr>`;
  }

  update() {
    const t = this.ticket;
    if (!t) return;
    const sla = t.sla;
    const policy = this.policies.find((candidate) => candidate.id === sla?.policyId);
    const selector = can('ticket.update') && this.policies.length ? html`<div class="field"><label for="sla-policy">Policy</label>
      <select id="sla-policy" name="policyId">${options(this.policies.map((p) => [String(p.id), p.isDefault ? `${p.name} (default)` : p.name]), String(sla?.policyId ?? ''))}</select></div>`
      : html`<p class="muted">Policy: ${policy?.name ?? (sla ? `#${sla.policyId}` : 'none')}</p>`;
    render(html`<section class="card sla-panel" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA <span class="sla-status" aria-live="polite">${sla && sla.status !== 'none' ? slaBadge(t) : html`<span class="muted">No SLA</span>`}</span></h2>
      ${selector}
      ${sla?.metrics?.length ? html`<table class="grid sla-metrics"><caption class="visually-hidden">SLA targets</caption>
        <thead><tr><th scope="col">Target</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
        <tbody>${sla.metrics.map((metric) => this.row(metric, policy ? businessDayMinutes(policy.hours) : 1440))}</tbody></table>` : ''}
    </section>`, this);
  }

  async handleEvent(event) {
    if (event.target.name !== 'policyId') return;
    const select = event.target;
    select.disabled = true;
    try {
      const ticket = await api(`/api/tickets/${this.ticket.id}/sla-policy`, { method: 'PUT', body: { policyId: Number(select.value) } });
      this.dispatchEvent(new CustomEvent('sla-changed', { detail: { ticket }, bubbles: true }));
      announce('SLA policy changed.');
    } catch (error) {
      announce(error.message, 'error');
      this.update();
    }
  }
}

export function define() {
  if (!customElements.get('hd-sla-panel')) customElements.define('hd-sla-panel', SlaPanel);
}
