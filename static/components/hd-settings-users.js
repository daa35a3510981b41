import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';
import { options, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';

/**
 * Agents: add one, change a role, deactivate or reactivate. A role that grants more than
 * the agent holds now, and a deactivation, are confirmed first (saying what changes).
 */
export class SettingsUsers extends HTMLElement {
  agents = [];
  roles = [];

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('change', this);
    this.addEventListener('click', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('change', this);
    this.removeEventListener('click', this);
  }

  async load() {
    try {
      [this.agents, this.roles] = await Promise.all([api('/api/agents'), api('/api/roles').catch(() => [])]);
      store.set({ agents: this.agents });
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this);
    }
  }

  update() {
    const roles = this.roles.map((role) => [String(role.id), role.name]);
    const me = store.state.session.agent.id;
    render(html`
      <section aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <div class="table-wrap"><table class="grid">
          <caption class="visually-hidden">Agents</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${this.agents.map((agent) => html`<tr>
            <th scope="row">${agent.name}</th><td>${agent.email}</td>
            <td><label class="visually-hidden" for="role-${agent.id}">Role of ${agent.name}</label>
              <select id="role-${agent.id}" data-role-of="${agent.id}" ${agent.id === me ? html`disabled` : ''}>${options(roles.length ? roles : [[String(agent.roleId), agent.role]], String(agent.roleId))}</select></td>
            <td>${agent.active ? 'Active' : html`<span class="muted">Deactivated</span>`}</td>
            <td>${agent.id === me ? html`<span class="muted">You</span>` : html`<button type="button" class="button" data-toggle="${agent.id}">
              ${agent.active ? 'Deactivate' : 'Reactivate'}</button>`}</td></tr>`)}</tbody>
        </table></div>
        <h3 class="section-title">Add an agent</h3>
        <form class="card inline-form" data-form="add" novalidate>
          <div class="field"><label for="new-name">Name</label><input id="new-name" name="name" required></div>
          <div class="field"><label for="new-email">Email</label><input id="new-email" name="email" type="email" required></div>
          <div class="field"><label for="new-password">Initial password</label><input id="new-password" name="password" type="password" minlength="12" autocomplete="new-password"></div>
          <div class="field"><label for="new-roleId">Role</label><select id="new-roleId" name="roleId">${options(roles, roles.find(([, name]) => name === 'Agent')?.[0])}</select></div>
          <div class="field"><span class="label-text">&nbsp;</span><button type="submit" class="button primary">Add agent</button></div>
        </form>
      </section>`, this);
  }

  async change(id, patch, message) {
    try {
      await api(`/api/agents/${id}`, { method: 'PATCH', body: patch });
      announce(message);
    } catch (error) {
      announce(error.message, 'error');
    }
    this.load();
  }

  async add(form) {
    clearFieldErrors(form);
    const body = { name: form.name.value.trim(), email: form.email.value.trim(), password: form.password.value, roleId: Number(form.roleId.value) };
    try {
      const agent = await api('/api/agents', { method: 'POST', body });
      announce(`${agent.name} added.`);
      this.load();
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  /** Asks before a role change that grants new permissions; resolves true to go ahead. */
  async confirmRole(agent, roleId) {
    const from = this.roles.find((role) => role.id === agent.roleId);
    const to = this.roles.find((role) => role.id === roleId);
    const gained = (to?.permissions ?? []).filter((permission) => !(from?.permissions ?? []).includes(permission));
    if (!to || gained.length === 0) return true;
    return confirmAction({ title: `Make ${agent.name} ${to.name === 'Administrator' ? 'an' : 'a'} ${to.name}?`,
      message: `${agent.name} gains ${gained.length} ${gained.length === 1 ? 'permission' : 'permissions'}: ${gained.join(', ')}.`,
      confirmLabel: `Give the ${to.name} role` });
  }

  async handleEvent(event) {
    const { type, target } = event;
    if (type === 'submit') { event.preventDefault(); this.add(target); }
    else if (type === 'change' && target.dataset.roleOf) {
      const agent = this.agents.find((candidate) => candidate.id === Number(target.dataset.roleOf));
      const roleId = Number(target.value);
      if (!(await this.confirmRole(agent, roleId))) { target.value = String(agent.roleId); target.focus(); return; }
      this.change(agent.id, { roleId }, 'Role changed.');
    } else if (type === 'click' && target.dataset.toggle) {
      const agent = this.agents.find((candidate) => candidate.id === Number(target.dataset.toggle));
      if (agent.active && !(await confirmAction({ title: `Deactivate ${agent.name}?`,
        message: `${agent.name} is signed out everywhere at once and can no longer sign in. Their tickets keep their assignee until you reassign them.`,
        confirmLabel: 'Deactivate', danger: true }))) { target.focus(); return; }
      this.change(agent.id, { active: !agent.active }, `${agent.name} ${agent.active ? 'deactivated' : 'reactivated'}.`);
    }
  }
}

export function define() {
  if (!customElements.get('hd-settings-users')) customElements.define('hd-settings-users', SettingsUsers);
}
