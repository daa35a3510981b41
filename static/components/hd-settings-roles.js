import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { showFieldError, clearFieldErrors, announce } from '../app/controls.js';

/** Roles and their permissions as a checkbox grid; one Save per role; new custom roles. */
export class SettingsRoles extends HTMLElement {
  roles = [];
  permissions = [];

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
      [this.roles, this.permissions] = await Promise.all([api('/api/roles'), api('/api/permissions')]);
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  update() {
    const locked = (role) => role.name === 'Administrator';
    render(html`
      <section aria-labelledby="roles-title">
        <a class="help-link" href="/help/permissions-and-roles" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="roles-title">Roles &amp; permissions</h2>
        <p class="muted">Tick what each role may do. The Administrator role always keeps every permission.</p>
        <div class="table-wrap"><table class="grid permission-grid">
          <caption class="visually-hidden">Permissions by role</caption>
          <thead><tr><th scope="col">Permission</th>${this.roles.map((role) => html`<th scope="col" id="role-col-${role.id}">${role.name}</th>`)}</tr></thead>
          <tbody>${this.permissions.map((permission) => html`<tr>
            <th scope="row"><code>${permission.name}</code><br><span class="muted">${permission.description}</span></th>
            ${this.roles.map((role) => html`<td><input type="checkbox" data-role="${role.id}" value="${permission.name}"
              aria-label="${role.name}: ${permission.name}" ${role.permissions.includes(permission.name) ? html`checked` : ''}
              ${locked(role) ? html`disabled` : ''}></td>`)}</tr>`)}</tbody>
          <tfoot><tr><th scope="row">Save</th>${this.roles.map((role) => html`<td>${locked(role) ? '' : html`
            <button type="button" class="button" data-save="${role.id}" aria-label="Save ${role.name}">Save</button>`}</td>`)}</tr></tfoot>
        </table></div>
        <h3 class="section-title">New role</h3>
        <form class="card inline-form" novalidate>
          <div class="field"><label for="role-name">Name</label><input id="role-name" name="name" required></div>
          <div class="field"><span class="label-text">&nbsp;</span><button type="submit" class="button primary">Create role</button></div>
        </form>
      </section>`, this);
  }

  async save(id) {
    const role = this.roles.find((candidate) => candidate.id === id);
    const permissions = [...this.querySelectorAll(`input[data-role="${id}"]:checked`)].map((box) => box.value);
    try {
      await api(`/api/roles/${id}`, { method: 'PATCH', body: { permissions } });
      announce(`${role.name} saved.`);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  async create(form) {
    clearFieldErrors(form);
    try {
      const role = await api('/api/roles', { method: 'POST', body: { name: form.name.value.trim(), permissions: ['ticket.view'] } });
      announce(`${role.name} created.`);
      this.load();
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    if (event.type === 'submit') { event.preventDefault(); this.create(event.target); }
    else if (event.target.dataset.save) this.save(Number(event.target.dataset.save));
  }
}

export function define() {
  if (!customElements.get('hd-settings-roles')) customElements.define('hd-settings-roles', SettingsRoles);
}
