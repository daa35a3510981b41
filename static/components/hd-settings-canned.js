import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { CATEGORIES, label } from '../app/format.js';
import { options, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';

const PLACEHOLDERS = [
  ['{{requester.name}}', "the requester's full name"], ['{{requester.firstName}}', "the requester's first name"],
  ['{{ticket.reference}}', 'the ticket reference (TKT-…)'], ['{{ticket.subject}}', "the ticket's subject"],
  ['{{agent.name}}', 'your name (the agent inserting it)'],
];

/** Settings › Canned responses (`canned.manage`): the shared list, with create, edit and delete. */
export class SettingsCanned extends HTMLElement {
  responses = [];
  editing = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('click', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('click', this);
  }

  async load() {
    try {
      this.responses = (await api('/api/canned-responses?limit=100')).cannedResponses;
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  update() {
    const item = this.editing || { title: '', body: '', category: null };
    render(html`
      <section aria-labelledby="canned-title">
        <a class="help-link" href="/help/canned-responses" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="canned-title">Canned responses</h2>
        <p class="muted">Shared replies every agent can insert from the composer.</p>
        ${this.responses.length ? html`<ul class="canned-list">${this.responses.map((response) => html`
          <li class="card"><div><strong>${response.title}</strong>
            ${response.category ? html`<span class="tag">${label(response.category)}</span>` : ''}
            <p class="muted canned-body">${response.body}</p></div>
            <div class="row-actions">
              <button type="button" class="button" data-edit="${response.id}" aria-label="Edit ${response.title}">Edit</button>
              <button type="button" class="button danger" data-delete="${response.id}" aria-label="Delete ${response.title}">Delete</button>
            </div></li>`)}</ul>` : html`<p class="empty-state">No canned responses yet.</p>`}
        <h3 class="section-title" id="canned-form-title">${this.editing ? `Edit “${item.title}”` : 'New canned response'}</h3>
        <form class="card stack-form" aria-labelledby="canned-form-title" novalidate>
          <div class="field"><label for="canned-title-input">Title</label><input id="canned-title-input" name="title" required value="${item.title}"></div>
          <div class="field"><label for="canned-body-input">Body</label>
            <textarea id="canned-body-input" name="body" rows="6" required aria-describedby="canned-help">${item.body}</textarea></div>
          <div id="canned-help" class="muted placeholder-help">Placeholders filled in on insert:
            <ul>${PLACEHOLDERS.map(([name, meaning]) => html`<li><code>${name}</code> ${meaning}</li>`)}</ul></div>
          <div class="field"><label for="canned-category">Category (optional)</label>
            <select id="canned-category" name="category"><option value="">Any category</option>${options(CATEGORIES, item.category)}</select></div>
          <div class="dialog-actions">
            ${this.editing ? html`<button type="button" class="button" data-cancel>Cancel</button>` : ''}
            <button type="submit" class="button primary">${this.editing ? 'Save changes' : 'Create canned response'}</button>
          </div>
        </form>
      </section>`, this);
  }

  async save(form) {
    clearFieldErrors(form);
    const body = { title: form.title.value.trim(), body: form.body.value, category: form.category.value || null };
    const path = this.editing ? `/api/canned-responses/${this.editing.id}` : '/api/canned-responses';
    try {
      const saved = await api(path, { method: this.editing ? 'PATCH' : 'POST', body });
      announce(`${saved.title} ${this.editing ? 'saved' : 'created'}.`);
      this.editing = null;
      this.load();
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async remove(id) {
    const response = this.responses.find((candidate) => candidate.id === id);
    const sure = await confirmAction({ title: 'Delete canned response?', message: `“${response.title}” will no longer be offered to anyone.`,
      confirmLabel: 'Delete', danger: true });
    if (!sure) return;
    try {
      await api(`/api/canned-responses/${id}`, { method: 'DELETE' });
      announce(`${response.title} deleted.`);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const { dataset } = event.target;
    if (event.type === 'submit') { event.preventDefault(); this.save(event.target); }
    else if (dataset.edit) {
      this.editing = this.responses.find((response) => response.id === Number(dataset.edit));
      this.update();
      this.querySelector('#canned-title-input').focus();
    } else if (dataset.delete) this.remove(Number(dataset.delete));
    else if ('cancel' in dataset) { this.editing = null; this.update(); }
  }
}

export function define() {
  if (!customElements.get('hd-settings-canned')) customElements.define('hd-settings-canned', SettingsCanned);
}
