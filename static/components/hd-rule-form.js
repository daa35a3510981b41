import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store } from '../app/store.js';
import { CATEGORIES, PRIORITIES, CHANNELS } from '../app/format.js';
import { options, agentOptions, showFieldError, clearFieldErrors, announce } from '../app/controls.js';

const EMPTY = { name: '', method: 'round_robin', conditions: { categories: [], priorities: [], channels: [] },
  agents: [], categoryAgents: {}, maxOpenTickets: null };

/**
 * Creates or edits one assignment rule: name, conditions (category, priority, channel),
 * and the method: round robin over an agent pool with an optional cap, or category based
 * (category -> agents). Server validation errors appear at their field.
 * Events up: `rule-saved` {rule}, `rule-cancel`.
 */
export class RuleForm extends HTMLElement {
  rule = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('change', this);
    this.addEventListener('click', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('change', this);
    this.removeEventListener('click', this);
  }

  /** Fills the form with `rule` for editing. */
  edit(rule) {
    this.rule = rule;
    this.update();
    this.querySelector('#rule-name').focus();
  }

  checks(name, pairs, chosen, legend) {
    return html`<fieldset class="checks" id="rule-${name}" data-field="conditions.${name}" tabindex="-1"><legend>${legend}</legend>
      ${pairs.map(([value, text]) => html`<label><input type="checkbox" name="${name}" value="${value}" ${chosen.includes(value) ? html`checked` : ''}> ${text}</label>`)}</fieldset>`;
  }

  update() {
    const rule = this.rule || EMPTY;
    const { method } = rule;
    const agents = agentOptions(store.state.agents);
    const pool = rule.agents.map((agent) => String(agent.id));
    render(html`<form class="card stack-form rule-form" novalidate>
      <div class="field"><label for="rule-name">Name</label><input id="rule-name" name="name" required value="${rule.name}"></div>
      <p class="muted">Conditions: leave a group empty to match any value.</p>
      <div class="condition-grid">
        ${this.checks('categories', CATEGORIES, rule.conditions.categories, 'Categories')}
        ${this.checks('priorities', PRIORITIES, rule.conditions.priorities, 'Priorities')}
        ${this.checks('channels', CHANNELS, rule.conditions.channels, 'Channels')}
      </div>
      <fieldset class="checks" id="rule-method" data-field="method" tabindex="-1"><legend>Method</legend>
        <label><input type="radio" name="method" value="round_robin" ${method === 'round_robin' ? html`checked` : ''}> Round robin over a pool of agents</label>
        <label><input type="radio" name="method" value="category_based" ${method === 'category_based' ? html`checked` : ''}> Category based (each category to its agents)</label>
      </fieldset>
      <div class="method-round_robin" ${method === 'round_robin' ? '' : html`hidden`}>
        <fieldset class="checks" id="rule-agents" data-field="agentIds" tabindex="-1"><legend>Agent pool</legend>
          ${agents.map(([id, name]) => html`<label><input type="checkbox" name="pool" value="${id}" ${pool.includes(id) ? html`checked` : ''}> ${name}</label>`)}</fieldset>
        <div class="field"><label for="rule-cap">Most open tickets per agent (optional)</label>
          <input id="rule-cap" name="maxOpenTickets" type="number" min="1" inputmode="numeric" value="${rule.maxOpenTickets ?? ''}"></div>
      </div>
      <div class="method-category_based" ${method === 'category_based' ? '' : html`hidden`}><fieldset class="category-agents" id="rule-category-agents" data-field="categoryAgents" tabindex="-1"><legend>Agents per category</legend>
          ${CATEGORIES.map(([value, text]) => html`<div class="field"><label for="rule-cat-${value}">${text} agents</label>
            <select id="rule-cat-${value}" data-category="${value}" multiple size="3">${options(agents, (rule.categoryAgents[value] || []).map((a) => String(a.id)))}</select></div>`)}
        </fieldset></div>
      <div class="dialog-actions">
        ${this.rule ? html`<button type="button" class="button" data-cancel>Cancel</button>` : ''}
        <button type="submit" class="button primary">${this.rule ? 'Save rule' : 'Create rule'}</button>
      </div></form>`, this);
  }

  body(form) {
    const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);
    const body = { name: form.name.value.trim(), method: form.querySelector('input[name=method]:checked').value,
      conditions: { categories: checked('categories'), priorities: checked('priorities'), channels: checked('channels') } };
    if (body.method === 'round_robin') {
      body.agentIds = checked('pool').map(Number);
      body.maxOpenTickets = form.maxOpenTickets.value ? Number(form.maxOpenTickets.value) : null;
    } else {
      body.categoryAgents = Object.fromEntries([...form.querySelectorAll('select[data-category]')]
        .map((select) => [select.dataset.category, [...select.selectedOptions].map((option) => Number(option.value))])
        .filter(([, ids]) => ids.length));
    }
    return body;
  }

  async save(form) {
    clearFieldErrors(form);
    const editing = this.rule;
    try {
      const rule = await api(editing ? `/api/assignment-rules/${editing.id}` : '/api/assignment-rules',
        { method: editing ? 'PATCH' : 'POST', body: this.body(form) });
      announce(`${rule.name} ${editing ? 'saved' : 'created'}.`);
      this.rule = null;
      this.dispatchEvent(new CustomEvent('rule-saved', { bubbles: true, detail: { rule } }));
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    if (event.type === 'submit') { event.preventDefault(); this.save(event.target); }
    else if (event.type === 'change' && event.target.name === 'method') {
      for (const part of this.querySelectorAll('[class^="method-"]')) part.hidden = part.className !== `method-${event.target.value}`;
    } else if (event.type === 'click' && 'cancel' in event.target.dataset) {
      this.rule = null;
      this.dispatchEvent(new CustomEvent('rule-cancel', { bubbles: true }));
    }
  }
}

export function define() {
  if (!customElements.get('hd-rule-form')) customElements.define('hd-rule-form', RuleForm);
}
