import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { label } from '../app/format.js';
import { announce } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';
import { define as defineForm } from './hd-rule-form.js';

/**
 * Settings › Assignment rules (`assignment.manage`): the rules in evaluation order with
 * enable toggles, reordering by drag and drop or Move up/down buttons, edit and delete.
 * The create/edit form is `hd-rule-form` (events up: `rule-saved`, `rule-cancel`).
 */
export class SettingsRules extends HTMLElement {
  rules = [];
  #dragged = null;

  connectedCallback() {
    for (const type of EVENTS) this.addEventListener(type, this);
    this.load();
  }

  disconnectedCallback() {
    for (const type of EVENTS) this.removeEventListener(type, this);
  }

  async load() {
    try {
      this.rules = (await api('/api/assignment-rules')).rules;
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  update() {
    render(html`
      <section aria-labelledby="rules-title">
        <a class="help-link" href="/help/auto-assignment" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="rules-title">Assignment rules</h2>
        <p class="muted">New unassigned tickets go through the enabled rules from the top; the first that matches and finds an agent assigns it.
          Drag a rule or use Move up / Move down to change the order.</p>
        <p class="visually-hidden rules-news" role="status" aria-live="polite"></p>
        ${this.rules.length ? html`<ol class="rule-list">${this.rules.map((rule, index) => this.row(rule, index))}</ol>`
          : html`<p class="empty-state">No rules yet: tickets stay unassigned until someone picks them up.</p>`}
        <h3 class="section-title" id="rule-form-title">New rule</h3>
        <hd-rule-form aria-labelledby="rule-form-title"></hd-rule-form>
      </section>`, this);
  }

  row(rule, index) {
    const conditions = Object.entries(rule.conditions).filter(([, values]) => values.length)
      .map(([key, values]) => `${key}: ${values.map(label).join(', ')}`).join(' · ') || 'every new ticket';
    const how = rule.method === 'round_robin'
      ? `Round robin over ${rule.agents.map((agent) => agent.name).join(', ')}${rule.maxOpenTickets ? ` (at most ${rule.maxOpenTickets} open each)` : ''}`
      : `By category: ${Object.entries(rule.categoryAgents).map(([category, agents]) => `${label(category)} → ${agents.map((a) => a.name).join(', ')}`).join('; ')}`;
    return html`<li class="card rule ${rule.enabled ? '' : 'disabled'}" draggable="true" data-id="${rule.id}" aria-label="${index + 1}. ${rule.name}">
      <span class="drag-handle" aria-hidden="true">⋮⋮</span>
      <div class="rule-text"><strong>${index + 1}. ${rule.name}</strong><br><span class="muted">When ${conditions}. ${how}.</span></div>
      <label class="toggle"><input type="checkbox" data-toggle="${rule.id}" ${rule.enabled ? html`checked` : ''}> Enabled</label>
      <div class="row-actions">
        <button type="button" class="button" data-move="-1" data-rule="${rule.id}" aria-label="Move ${rule.name} up" ${index === 0 ? html`disabled` : ''}>Move up</button>
        <button type="button" class="button" data-move="1" data-rule="${rule.id}" aria-label="Move ${rule.name} down" ${index === this.rules.length - 1 ? html`disabled` : ''}>Move down</button>
        <button type="button" class="button" data-edit="${rule.id}" aria-label="Edit ${rule.name}">Edit</button>
        <button type="button" class="button danger" data-delete="${rule.id}" aria-label="Delete ${rule.name}">Delete</button>
      </div></li>`;
  }

  async reorder(ids, focusId, focusMove) {
    try {
      this.rules = (await api('/api/assignment-rules/reorder', { method: 'POST', body: { ids } })).rules;
      this.update();
      const moved = this.rules.findIndex((rule) => rule.id === focusId);
      this.querySelector('.rules-news').textContent = `${this.rules[moved].name} is now rule ${moved + 1} of ${this.rules.length}.`;
      const button = this.querySelector(`[data-rule="${focusId}"][data-move="${focusMove}"]:not([disabled])`) || this.querySelector(`[data-edit="${focusId}"]`);
      button?.focus();
    } catch (error) {
      announce(error.message, 'error');
      this.load();
    }
  }

  move(id, delta) {
    const ids = this.rules.map((rule) => rule.id);
    const from = ids.indexOf(id);
    const to = from + delta;
    if (to < 0 || to >= ids.length) return;
    const next = ids.filter((other) => other !== id);
    next.splice(to, 0, id);
    this.reorder(next, id, delta);
  }

  async toggle(id, enabled) {
    try {
      const rule = await api(`/api/assignment-rules/${id}`, { method: 'PATCH', body: { enabled } });
      this.rules = this.rules.map((known) => (known.id === id ? rule : known));
      announce(`${rule.name} ${enabled ? 'enabled' : 'disabled'}.`);
      this.update();
      this.querySelector(`[data-toggle="${id}"]`)?.focus();
    } catch (error) {
      announce(error.message, 'error');
      this.load();
    }
  }

  async remove(id) {
    const rule = this.rules.find((known) => known.id === id);
    if (!await confirmAction({ title: 'Delete rule?', message: `“${rule.name}” will stop assigning tickets. To pause it instead, disable it.`,
      confirmLabel: 'Delete', danger: true })) return;
    try {
      await api(`/api/assignment-rules/${id}`, { method: 'DELETE' });
      announce(`${rule.name} deleted.`);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  edit(id) {
    const form = this.querySelector('hd-rule-form');
    form.edit(this.rules.find((rule) => rule.id === id));
    this.querySelector('#rule-form-title').textContent = 'Edit rule';
    form.scrollIntoView({ block: 'start' });
  }

  handleEvent(event) {
    const { type, target } = event;
    const row = target.closest?.('li.rule');
    if (type === 'rule-saved' || type === 'rule-cancel') this.load();
    else if (type === 'change' && target.dataset.toggle) this.toggle(Number(target.dataset.toggle), target.checked);
    else if (type === 'click' && target.dataset.move) this.move(Number(target.dataset.rule), Number(target.dataset.move));
    else if (type === 'click' && target.dataset.edit) this.edit(Number(target.dataset.edit));
    else if (type === 'click' && target.dataset.delete) this.remove(Number(target.dataset.delete));
    else if (type === 'dragstart' && row) { this.#dragged = Number(row.dataset.id); event.dataTransfer.setData('text/plain', row.dataset.id); row.classList.add('dragging'); }
    else if (type === 'dragover' && row && this.#dragged) { event.preventDefault(); row.classList.add('drop-target'); }
    else if (type === 'dragleave' && row) row.classList.remove('drop-target');
    else if (type === 'dragend') { this.#dragged = null; this.querySelectorAll('.dragging, .drop-target').forEach((node) => node.classList.remove('dragging', 'drop-target')); }
    else if (type === 'drop' && row && this.#dragged) { event.preventDefault(); this.dropOn(Number(row.dataset.id)); }
  }

  /** The dragged rule takes the place of the rule it was dropped on. */
  dropOn(targetId) {
    const id = this.#dragged;
    this.#dragged = null;
    if (id === targetId) return this.update();
    const ids = this.rules.map((rule) => rule.id);
    const next = ids.filter((other) => other !== id);
    next.splice(ids.indexOf(targetId), 0, id);
    this.reorder(next, id, 1);
  }
}

const EVENTS = ['click', 'change', 'dragstart', 'dragover', 'dragleave', 'dragend', 'drop', 'rule-saved', 'rule-cancel'];

export function define() {
  defineForm();
  if (!customElements.get('hd-settings-rules')) customElements.define('hd-settings-rules', SettingsRules);
}
