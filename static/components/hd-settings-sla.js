import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { announce } from '../app/controls.js';
import { PRIORITIES } from '../app/format.js';
import { WEEKDAYS, allDay, businessTime, businessDayMinutes } from '../app/sla-policy-form.js';
import { confirmAction } from './hd-confirm.js';
import { define as defineForm } from './hd-sla-policy-form.js';

/** SLA policies (for agents with sla.manage): the list, and create, edit, delete. */
export class SettingsSla extends HTMLElement {
  policies = [];
  editing = undefined; // undefined: list only; null: a new policy; a policy: editing it

  connectedCallback() {
    for (const type of ['click', 'policy-saved', 'policy-cancel']) this.addEventListener(type, this);
    this.load();
  }

  disconnectedCallback() {
    for (const type of ['click', 'policy-saved', 'policy-cancel']) this.removeEventListener(type, this);
  }

  async load() {
    try {
      this.policies = (await api('/api/sla-policies')).policies;
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  row(p) {
    const days = WEEKDAYS.filter(([day]) => p.hours.weekdays.includes(day)).map(([, name]) => name).join(' ');
    const hours = allDay(p.hours) ? 'all day' : `${p.hours.start}–${p.hours.end}`;
    return html`<tr data-policy-id="${p.id}">
      <th scope="row">${p.name}${p.isDefault ? html` <span class="badge">Default</span>` : ''}</th>
      <td>${PRIORITIES.map(([priority, name]) => html`<span class="target">${name}: ${businessTime(p.firstResponse[priority], businessDayMinutes(p.hours))}</span><br>`)}</td>
      <td>${PRIORITIES.map(([priority, name]) => html`<span class="target">${name}: ${businessTime(p.resolution[priority], businessDayMinutes(p.hours))}</span><br>`)}</td>
      <td>${days}, ${hours}<br><span class="muted">${p.timeZone}${p.holidays.length ? ` · ${p.holidays.length} holidays` : ''}</span></td>
      <td>${p.warningPercent} %</td>
      <td><button type="button" class="button" data-edit="${p.id}" aria-label="Edit ${p.name}">Edit</button>
        ${p.isDefault ? '' : html`<button type="button" class="button subtle danger" data-delete="${p.id}" aria-label="Delete ${p.name}">Delete</button>`}</td>
    </tr>`;
  }

  update() {
    render(html`<section aria-labelledby="sla-settings-title">
      <a class="help-link" href="/help/sla-policies" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="sla-settings-title">SLA policies</h2>
      <p class="muted">Targets count business time only: a business day is the policy's business hours. A ticket is Breaching once its time left is within the warning threshold.</p>
      <div class="table-wrap"><table class="grid sla-policies"><caption class="visually-hidden">SLA policies</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">First response</th><th scope="col">Resolution</th>
          <th scope="col">Business hours</th><th scope="col">Warning</th><th scope="col">Actions</th></tr></thead>
        <tbody>${this.policies.map((p) => this.row(p))}</tbody></table></div>
      ${this.editing === undefined ? html`<p><button type="button" class="button primary" data-action="new">New policy</button></p>` : ''}
      <div class="policy-editor"></div>
    </section>`, this);
    if (this.editing === undefined) return;
    const form = document.createElement('hd-sla-policy-form');
    form.policy = this.editing;
    this.querySelector('.policy-editor').append(form);
    form.querySelector('input')?.focus();
  }

  async remove(id) {
    const policy = this.policies.find((p) => p.id === id);
    const confirmed = await confirmAction({ title: `Delete ${policy.name}?`,
      message: 'Its tickets move to the default policy, keeping the time they have used.', confirmLabel: 'Delete', danger: true });
    if (!confirmed) return;
    try {
      await api(`/api/sla-policies/${id}`, { method: 'DELETE' });
      announce(`${policy.name} deleted.`);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const button = event.target.closest?.('button');
    if (event.type === 'policy-saved' || event.type === 'policy-cancel') { this.editing = undefined; this.load(); }
    else if (button?.dataset.action === 'new') { this.editing = null; this.update(); }
    else if (button?.dataset.edit) { this.editing = this.policies.find((p) => p.id === Number(button.dataset.edit)); this.update(); }
    else if (button?.dataset.delete) this.remove(Number(button.dataset.delete));
  }
}

export function define() {
  defineForm();
  if (!customElements.get('hd-settings-sla')) customElements.define('hd-settings-sla', SettingsSla);
}
