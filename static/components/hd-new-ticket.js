import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';
import { options, agentOptions, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, CHANNELS, fromLocalInput } from '../app/format.js';
import { ContactSuggest } from '../app/contact-suggest.js';

/** The new ticket form; the server validates and its messages appear at the field. */
export class NewTicket extends HTMLElement {
  #contacts = null;

  connectedCallback() {
    const field = (id, text, control, hint = '') => html`<div class="field"><label for="${id}">${text}</label>${control}
      ${hint ? html`<p class="hint">${hint}</p>` : ''}</div>`;
    const assignees = [['', 'Unassigned'], ...agentOptions(store.state.agents)];
    render(html`
      <section class="page narrow" aria-labelledby="new-title">
        <p><a href="/tickets">← Tickets</a></p>
        <h1 id="new-title">New ticket</h1>
        <form class="card" novalidate>
          <p class="form-error" role="alert" hidden></p>
          ${field('t-subject', 'Subject', html`<input id="t-subject" name="subject" autocomplete="off">`)}
          <div class="inline-form">
            ${field('t-requesterEmail', 'Requester email', html`<input id="t-requesterEmail" name="requester.email" data-field="requester" type="email" list="contact-options" autocomplete="off">`)}
            ${field('t-requesterName', 'Requester name', html`<input id="t-requesterName" name="requester.name" autocomplete="off">`)}
          </div>
          <datalist id="contact-options"></datalist>
          ${field('t-description', 'Description', html`<textarea id="t-description" name="description"></textarea>`)}
          <div class="inline-form">
            ${field('t-status', 'Status', html`<select id="t-status" name="status">${options(STATUSES, 'open')}</select>`)}
            ${field('t-priority', 'Priority', html`<select id="t-priority" name="priority">${options(PRIORITIES, 'medium')}</select>`)}
            ${field('t-category', 'Category', html`<select id="t-category" name="category">${options(CATEGORIES, 'general')}</select>`)}
            ${field('t-channel', 'Channel', html`<select id="t-channel" name="channel">${options(CHANNELS, 'web')}</select>`)}
          </div>
          <div class="inline-form">
            ${can('ticket.assign') ? field('t-assigneeId', 'Assignee', html`<select id="t-assigneeId" name="assigneeId">${options(assignees, '')}</select>`) : ''}
            ${field('t-dueAt', 'Due', html`<input id="t-dueAt" name="dueAt" type="datetime-local">`)}
            ${field('t-tags', 'Tags', html`<input id="t-tags" name="tags" placeholder="vip, refund">`)}
            ${field('t-slaPolicyId', 'SLA policy', html`<select id="t-slaPolicyId" name="slaPolicyId"><option value="">Default policy</option></select>`)}
          </div>
          <div class="dialog-actions"><a class="button" href="/tickets">Cancel</a><button type="submit" class="button primary">Create ticket</button></div>
        </form>
      </section>`, this);
    const name = this.querySelector('#t-requesterName');
    this.#contacts = new ContactSuggest(this.querySelector('#contact-options'), (match) => { if (!name.value) name.value = match.name; });
    this.addEventListener('submit', this);
    this.addEventListener('input', this);
    this.querySelector('#t-subject').focus();
    this.loadPolicies();
  }

  /** Fills the SLA policy choice; without policies the default option stays alone. */
  async loadPolicies() {
    try {
      const { policies } = await api('/api/sla-policies');
      const select = this.querySelector('#t-slaPolicyId');
      if (!select) return;
      const fallback = policies.find((policy) => policy.isDefault);
      render(html`<option value="">${fallback ? `Default (${fallback.name})` : 'No SLA'}</option>
        ${policies.map((policy) => html`<option value="${String(policy.id)}">${policy.name}</option>`)}`, select);
    } catch { /* the form works without the choice: the server applies the default */ }
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('input', this);
    this.#contacts.stop();
  }

  body(form) {
    const value = (name) => form.elements[name]?.value.trim() ?? '';
    const body = { subject: value('subject'), description: value('description'), status: value('status'), priority: value('priority'),
      category: value('category'), channel: value('channel'),
      tags: value('tags').split(',').map((tag) => tag.trim()).filter(Boolean) };
    const known = this.#contacts.find(value('requester.email'));
    if (known) body.requesterId = known.id;
    else if (value('requester.email')) body.requester = { email: value('requester.email'), name: value('requester.name') };
    if (value('assigneeId')) body.assigneeId = Number(value('assigneeId'));
    if (value('dueAt')) body.dueAt = fromLocalInput(value('dueAt'));
    if (value('slaPolicyId')) body.slaPolicyId = Number(value('slaPolicyId'));
    return body;
  }

  async submit(form) {
    clearFieldErrors(form);
    const error = form.querySelector('.form-error');
    error.hidden = true;
    try {
      const ticket = await api('/api/tickets', { method: 'POST', body: this.body(form) });
      announce(`${ticket.reference} created.`);
      navigate(`/tickets/${ticket.id}`);
    } catch (problem) {
      if (!showFieldError(form, problem)) {
        error.textContent = problem.message;
        error.hidden = false;
      }
    }
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      this.submit(event.target);
    } else if (event.target.name === 'requester.email') {
      this.#contacts.typed(event.target.value);
    }
  }
}

export function define() {
  if (!customElements.get('hd-new-ticket')) customElements.define('hd-new-ticket', NewTicket);
}
