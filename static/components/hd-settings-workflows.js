import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { announce } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';
import { TRIGGERS, ACTIONS } from '../app/workflow-parts.js';
import { define as defineForm } from './hd-workflow-form.js';
import { define as defineRuns } from './hd-workflow-runs.js';
import { define as defineWebhooks } from './hd-settings-webhooks.js';

const name = (pairs, value) => pairs.find(([v]) => v === value)?.[1] ?? value;

/**
 * Settings › Workflows (`workflow.manage`): the workflows in evaluation order with enable
 * toggles, Move up/down, edit and delete; the two templates in one click; the builder
 * (`hd-workflow-form`), the webhooks and the run log (`?ticket=<id>` filters it to a ticket).
 */
export class SettingsWorkflows extends HTMLElement {
  workflows = [];
  catalog = { fields: [], templates: [] };

  connectedCallback() {
    for (const type of EVENTS) this.addEventListener(type, this);
    this.load();
  }

  disconnectedCallback() {
    for (const type of EVENTS) this.removeEventListener(type, this);
  }

  async load() {
    try {
      const [list, catalog, hooks, mailboxes] = await Promise.all([api('/api/workflows'), api('/api/workflows/catalog'),
        api('/api/webhooks'), api('/api/mailboxes').catch(() => ({ mailboxes: [] }))]);
      this.workflows = list.workflows;
      this.catalog = catalog;
      this.update();
      const form = this.querySelector('hd-workflow-form');
      Object.assign(form, { catalog, webhooks: hooks.webhooks.map((h) => [String(h.id), h.name]),
        mailboxes: mailboxes.mailboxes.map((m) => [String(m.id), `${m.name} (${m.address})`]) });
      form.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  update() {
    const ticket = new URLSearchParams(location.search).get('ticket');
    render(html`<section aria-labelledby="workflows-title">
      <h2 id="workflows-title">Workflows</h2>
      <p class="muted">When something happens, enabled workflows run from the top: each whose conditions hold does its actions in order.
        Changes a workflow makes can start other workflows, at most ${this.catalog.maxDepth ?? 3} deep.</p>
      <div class="row-actions">${(this.catalog.templates || []).map((t) => html`<button type="button" class="button" data-template="${t.key}" title="${t.description}">Add “${t.name}”</button>`)}</div>
      ${this.workflows.length ? html`<ol class="rule-list">${this.workflows.map((w, i) => this.row(w, i))}</ol>`
        : html`<p class="empty-state">No workflows yet. New email becomes a ticket by the default rule until an email workflow exists.</p>`}
      <h3 class="section-title" id="workflow-form-title">New workflow</h3>
      <hd-workflow-form aria-labelledby="workflow-form-title"></hd-workflow-form>
      <hd-settings-webhooks></hd-settings-webhooks>
      <hd-workflow-runs ticket="${ticket ?? ''}"></hd-workflow-runs></section>`, this);
  }

  row(w, index) {
    const actions = w.actions.map((a) => name(ACTIONS, a.type)).join(', then ');
    const count = w.conditions.conditions.length;
    return html`<li class="card rule ${w.enabled ? '' : 'disabled'}" data-id="${w.id}" aria-label="${index + 1}. ${w.name}">
      <span class="drag-handle" aria-hidden="true">${index + 1}</span>
      <div class="rule-text"><strong>${w.name}</strong><br><span class="muted">When ${name(TRIGGERS, w.trigger.kind).toLowerCase()}${count ? `, if ${w.conditions.match} of ${count} conditions hold` : ''}: ${actions.toLowerCase()}.</span></div>
      <label class="toggle"><input type="checkbox" data-toggle="${w.id}" ${w.enabled ? html`checked` : ''}> Enabled</label>
      <div class="row-actions">
        <button type="button" class="button" data-move="-1" data-workflow="${w.id}" aria-label="Move ${w.name} up" ${index === 0 ? html`disabled` : ''}>Move up</button>
        <button type="button" class="button" data-move="1" data-workflow="${w.id}" aria-label="Move ${w.name} down" ${index === this.workflows.length - 1 ? html`disabled` : ''}>Move down</button>
        <button type="button" class="button" data-edit="${w.id}" aria-label="Edit ${w.name}">Edit</button>
        <button type="button" class="button danger" data-delete="${w.id}" aria-label="Delete ${w.name}">Delete</button></div></li>`;
  }

  async change(request, message, focus) {
    try {
      const result = await request();
      if (result?.workflows) this.workflows = result.workflows;
      else if (result?.id) this.workflows = this.workflows.map((w) => (w.id === result.id ? result : w));
      announce(message(result));
      const form = this.querySelector('hd-workflow-form');
      const kept = { draft: form.draft };
      this.update();
      Object.assign(this.querySelector('hd-workflow-form'), { catalog: form.catalog, mailboxes: form.mailboxes, webhooks: form.webhooks, ...kept });
      this.querySelector('hd-workflow-form').update();
      this.querySelector(focus)?.focus();
    } catch (error) {
      announce(error.message, 'error');
      this.load();
    }
  }

  move(id, delta) {
    const ids = this.workflows.map((w) => w.id);
    const from = ids.indexOf(id), to = from + delta;
    ids.splice(to, 0, ...ids.splice(from, 1));
    this.change(() => api('/api/workflows/reorder', { method: 'POST', body: { ids } }),
      () => `Moved to position ${to + 1} of ${ids.length}.`, `[data-workflow="${id}"][data-move="${delta}"]:not([disabled])`);
  }

  async remove(id) {
    const w = this.workflows.find((known) => known.id === id);
    if (!await confirmAction({ title: 'Delete workflow?', message: `“${w.name}” will stop running. To pause it instead, disable it.`, confirmLabel: 'Delete', danger: true })) return;
    try {
      await api(`/api/workflows/${id}`, { method: 'DELETE' });
      announce(`${w.name} deleted.`);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const { type, target } = event;
    const data = target.dataset || {};
    if (type === 'workflow-saved') { this.load(); this.querySelector('hd-workflow-runs')?.load(); }
    else if (type === 'change' && data.toggle) {
      const id = Number(data.toggle);
      this.change(() => api(`/api/workflows/${id}`, { method: 'PATCH', body: { enabled: target.checked } }),
        (w) => `${w.name} ${w.enabled ? 'enabled' : 'disabled'}.`, `[data-toggle="${id}"]`);
    } else if (type !== 'click') return;
    else if (data.template) this.change(() => api(`/api/workflows/templates/${data.template}`, { method: 'POST', body: { enabled: true } }).then(() => api('/api/workflows')),
      () => 'Template added and enabled.', `[data-template="${data.template}"]`);
    else if (data.move) this.move(Number(data.workflow), Number(data.move));
    else if (data.edit) {
      this.querySelector('hd-workflow-form').edit(this.workflows.find((w) => w.id === Number(data.edit)));
      this.querySelector('#workflow-form-title').textContent = 'Edit workflow';
    } else if (data.delete) this.remove(Number(data.delete));
  }
}

const EVENTS = ['click', 'change', 'workflow-saved', 'workflow-cancel'];

export function define() {
  defineForm();
  defineRuns();
  defineWebhooks();
  if (!customElements.get('hd-settings-workflows')) customElements.define('hd-settings-workflows', SettingsWorkflows);
}
