import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { navigate } from '../app/router.js';
import { define as defineUsers } from './hd-settings-users.js';
import { define as defineRoles } from './hd-settings-roles.js';
import { define as defineAccount } from './hd-settings-account.js';
import { define as defineSla } from './hd-settings-sla.js';
import { define as defineCanned } from './hd-settings-canned.js';
import { define as defineRules } from './hd-settings-rules.js';
import { define as defineMailboxes } from './hd-settings-mailboxes.js';
import { define as defineSurveys } from './hd-settings-surveys.js';
import { define as defineWorkflows } from './hd-settings-workflows.js';

/** Settings sections; each shown only to agents holding its permission. */
const SECTIONS = [
  { id: 'users', name: 'Users', permission: 'users.manage', tag: 'hd-settings-users' },
  { id: 'roles', name: 'Roles & permissions', permission: 'roles.manage', tag: 'hd-settings-roles' },
  { id: 'account', name: 'Account', permission: 'account.manage', tag: 'hd-settings-account' },
  { id: 'sla', name: 'SLA policies', permission: 'sla.manage', tag: 'hd-settings-sla' },
  { id: 'canned', name: 'Canned responses', permission: 'canned.manage', tag: 'hd-settings-canned' },
  { id: 'rules', name: 'Assignment rules', permission: 'assignment.manage', tag: 'hd-settings-rules' },
  { id: 'mailboxes', name: 'Mailboxes', permission: 'account.manage', tag: 'hd-settings-mailboxes' },
  { id: 'surveys', name: 'Surveys', permission: 'account.manage', tag: 'hd-settings-surveys' },
  { id: 'workflows', name: 'Workflows', permission: 'workflow.manage', tag: 'hd-settings-workflows' },
];

/** Administration (loaded on demand): side navigation and the chosen section. */
export class Settings extends HTMLElement {
  params = {};

  connectedCallback() {
    const allowed = SECTIONS.filter((section) => can(section.permission));
    const section = allowed.find((candidate) => candidate.id === this.params.section);
    if (!section) {
      const first = allowed[0];
      if (first && !this.params.section) return navigate(`/settings/${first.id}`, { replace: true });
      render(html`<section class="page narrow empty-state"><h1>Not available</h1>
        <p>Your role does not allow you to open this settings page.</p></section>`, this);
      return;
    }
    document.title = `${section.name} · Settings · Help desk`;
    render(html`
      <div class="page settings-layout">
        <nav class="settings-nav" aria-label="Settings">
          <h1>Settings</h1>
          <ul>${allowed.map((item) => html`<li><a href="/settings/${item.id}" ${item === section ? html`aria-current="page"` : ''}>${item.name}</a></li>`)}</ul>
        </nav>
        <div class="settings-body"></div>
      </div>`, this);
    this.querySelector('.settings-body').append(document.createElement(section.tag));
  }
}

export function define() {
  defineUsers();
  defineRoles();
  defineAccount();
  defineSla();
  defineCanned();
  defineRules();
  defineMailboxes();
  defineSurveys();
  defineWorkflows();
  if (!customElements.get('hd-settings')) customElements.define('hd-settings', Settings);
}
