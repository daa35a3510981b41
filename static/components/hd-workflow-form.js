import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store } from '../app/store.js';
import { agentOptions, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { triggerInputs, conditionRow, actionRow } from '../app/workflow-parts.js';
import { define as defineDryRun } from './hd-workflow-dry-run.js';

const HEADER = 'email.header.';
const blank = () => ({ name: '', trigger: { kind: 'ticket.created' }, match: 'all', conditions: [], actions: [{ type: 'add_tags', tags: [] }] });

/**
 * The workflow builder: name, a trigger with the inputs that fit it, conditions (all/any,
 * each a field, an operator and a value; patterns tested against a sample on the server),
 * ordered actions with their inputs, a dry run, and Save. Nested groups made through the API
 * are kept as they are. Data down: `.catalog`, `.mailboxes`, `.webhooks` ([[id, name]]).
 * Events up: `workflow-saved` {workflow}, `workflow-cancel`.
 */
export class WorkflowForm extends HTMLElement {
  catalog = { fields: [] };
  mailboxes = [];
  webhooks = [];
  draft = blank();
  #editing = null;
  #nested = [];

  connectedCallback() {
    for (const type of ['submit', 'change', 'click']) this.addEventListener(type, this);
    this.update();
  }

  disconnectedCallback() {
    for (const type of ['submit', 'change', 'click']) this.removeEventListener(type, this);
  }

  /** Loads `workflow` (or a blank one) into the builder. */
  edit(workflow) {
    this.#editing = workflow;
    const leaves = workflow ? workflow.conditions.conditions.filter((item) => !('match' in item)) : [];
    this.#nested = workflow ? workflow.conditions.conditions.filter((item) => 'match' in item) : [];
    this.draft = workflow ? { name: workflow.name, trigger: { ...workflow.trigger }, match: workflow.conditions.match,
      conditions: structuredClone(leaves), actions: structuredClone(workflow.actions) } : blank();
    this.update();
    this.querySelector('#wf-name').focus();
  }

  update() {
    const d = this.draft;
    const agents = agentOptions(store.state.agents);
    render(html`<form class="card stack-form workflow-form" novalidate>
      <div class="field"><label for="wf-name">Name</label><input id="wf-name" data-field="name" name="name" required value="${d.name}"></div>
      <fieldset class="wf-part" id="wf-trigger-part" data-field="trigger" tabindex="-1"><legend>Trigger</legend>${triggerInputs(d.trigger, this.mailboxes)}</fieldset>
      <fieldset class="wf-part" id="wf-conditions" data-field="conditions" tabindex="-1"><legend>Conditions</legend>
        <label>Run when <select id="wf-match" data-field="match">${['all', 'any'].map((m) => html`<option value="${m}" ${d.match === m ? html`selected` : ''}>${m}</option>`)}</select>
          of these hold (none: always)</label>
        <ol class="wf-list">${d.conditions.map((c, i) => conditionRow(c, i, this.catalog))}</ol>
        ${this.#nested.length ? html`<p class="muted">${this.#nested.length} nested group(s) made through the API are kept as they are.</p>` : ''}
        <button type="button" class="button" data-add-condition>Add condition</button>
        <p class="muted">Examples: Email subject contains “invoice”; Sender address ends with “@bigcustomer.com”. Text comparisons ignore case.</p></fieldset>
      <fieldset class="wf-part" id="wf-actions" data-field="actions" tabindex="-1"><legend>Actions, in order</legend>
        <ol class="wf-list">${d.actions.map((a, i) => actionRow(a, i, d.actions.length, agents, this.webhooks))}</ol>
        <button type="button" class="button" data-add-action>Add action</button>
        <p class="muted">Email placeholders: ${(this.catalog.placeholders || []).map((p) => `{{${p}}}`).join(' ')}</p></fieldset>
      <hd-workflow-dry-run></hd-workflow-dry-run>
      <div class="dialog-actions">
        ${this.#editing ? html`<button type="button" class="button" data-cancel>Cancel</button>` : ''}
        <button type="submit" class="button primary">${this.#editing ? 'Save workflow' : 'Create workflow'}</button></div></form>`, this);
    this.querySelector('hd-workflow-dry-run').draft = () => this.body();
  }

  /** Copies every input into the draft (run before any re-render and before saving). */
  read() {
    const d = this.draft;
    for (const input of this.querySelectorAll('form [data-field]')) {
      const path = input.dataset.field;
      if (input.tagName === 'FIELDSET') continue;
      let value = input.type === 'checkbox' ? input.checked
        : input.multiple ? [...input.selectedOptions].map((o) => o.value) : input.value;
      if (/\.(tags|values)$/.test(path) && typeof value === 'string') value = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (/(mailboxId|agentId|webhookId|hours)$/.test(path)) value = value === '' ? undefined : Number(value);
      if (/agentIds$/.test(path)) value = value.map(Number);
      if (value === '') value = undefined;
      const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
      let target = d;
      for (const key of parts.slice(0, -1)) target = target[key];
      if (value === undefined || value === false) delete target[parts.at(-1)]; else target[parts.at(-1)] = value;
    }
    for (const input of this.querySelectorAll('[data-header]')) d.conditions[Number(input.dataset.header)].field = HEADER + input.value.trim();
  }

  /** The API body of the draft. */
  body() {
    this.read();
    const d = this.draft;
    return { name: d.name.trim(), trigger: d.trigger, conditions: { match: d.match, conditions: [...d.conditions, ...this.#nested] }, actions: d.actions };
  }

  async save(form) {
    clearFieldErrors(form);
    const editing = this.#editing;
    try {
      const workflow = await api(editing ? `/api/workflows/${editing.id}` : '/api/workflows', { method: editing ? 'PATCH' : 'POST', body: this.body() });
      announce(`${workflow.name} ${editing ? 'saved' : 'created'}${editing ? '' : ' (disabled: enable it in the list)'}.`);
      this.edit(null);
      this.dispatchEvent(new CustomEvent('workflow-saved', { bubbles: true, detail: { workflow } }));
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async testPattern(i) {
    this.read();
    const sample = this.querySelector(`[data-sample="${i}"]`).value;
    const out = this.querySelector(`[data-result="${i}"]`);
    try {
      const r = await api('/api/workflows/test-pattern', { method: 'POST', body: { pattern: this.draft.conditions[i].value || '', sample } });
      out.textContent = !r.valid ? `Refused: ${r.error}` : r.matches ? 'Valid; the sample matches.' : 'Valid; the sample does not match.';
    } catch (error) {
      out.textContent = error.message;
    }
  }

  /** Structural changes: read what was typed, change the draft, draw again, keep focus near. */
  rebuild(change, focus) {
    this.read();
    change(this.draft);
    this.update();
    (focus && this.querySelector(focus))?.focus();
  }

  handleEvent(event) {
    const { type, target } = event;
    const data = target.dataset || {};
    if (type === 'submit') { event.preventDefault(); this.save(event.target); }
    else if (type === 'change' && 'rebuild' in data) {
      // A new action type starts from nothing: no inputs of the old type travel with it.
      const typeOf = /^actions\[(\d+)\]\.type$/.exec(data.field);
      this.rebuild((d) => { if (typeOf) d.actions[Number(typeOf[1])] = { type: d.actions[Number(typeOf[1])].type }; },
        `[data-field="${CSS.escape(data.field)}"]`);
    }
    else if (type !== 'click') return;
    else if ('addCondition' in data) this.rebuild((d) => d.conditions.push({ field: 'email.subject', op: 'contains', value: '' }), `#wf-c${this.draft.conditions.length}-field`);
    else if ('removeCondition' in data) this.rebuild((d) => d.conditions.splice(Number(data.removeCondition), 1), '[data-add-condition]');
    else if ('addAction' in data) this.rebuild((d) => d.actions.push({ type: 'add_tags', tags: [] }), `#wf-a${this.draft.actions.length}-type`);
    else if ('removeAction' in data) this.rebuild((d) => d.actions.splice(Number(data.removeAction), 1), '[data-add-action]');
    else if ('moveAction' in data) {
      const from = Number(data.moveAction), to = from + Number(data.delta);
      this.rebuild((d) => d.actions.splice(to, 0, ...d.actions.splice(from, 1)), `#wf-a${to}-type`);
    } else if ('testPattern' in data) this.testPattern(Number(data.testPattern));
    else if ('cancel' in data) { this.edit(null); this.dispatchEvent(new CustomEvent('workflow-cancel', { bubbles: true })); }
  }
}

export function define() {
  defineDryRun();
  if (!customElements.get('hd-workflow-form')) customElements.define('hd-workflow-form', WorkflowForm);
}
