import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { announce } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';
import { define as defineForm } from './hd-mailbox-form.js';

const SECURITY_NAMES = { tls: 'TLS', starttls: 'STARTTLS', none: 'no encryption' };

/** One server's line of a connection test: what worked, or the stage that failed and the server's words. */
function testSide(name, side) {
  if (side.ok) {
    const extra = side.messages !== undefined && side.messages !== null ? `, ${side.messages} messages in the folder` : '';
    return html`<li class="test-ok"><strong>${name}: connected</strong> <span class="muted">(${side.tls || 'no TLS'}${extra}${side.idle ? ', IDLE' : ''})</span></li>`;
  }
  return html`<li class="test-failed"><strong>${name} failed at: <span class="test-stage">${side.stage}</span></strong>
    ${side.error ? html`<span class="muted">${side.error}</span>` : ''}</li>`;
}

/**
 * Settings › Mailboxes (`account.manage`): the addresses customers write to, with create,
 * edit, enable/disable, delete and "test connection" (IMAP and SMTP log-in, showing the
 * exact stage that failed). Passwords are never shown: the API does not return them.
 */
export class SettingsMailboxes extends HTMLElement {
  mailboxes = [];
  tests = new Map();
  testing = new Set();

  connectedCallback() {
    defineForm();
    this.addEventListener('click', this);
    this.addEventListener('change', this);
    this.addEventListener('mailbox-saved', this);
    this.addEventListener('mailbox-cancel', this);
    render(html`<section aria-labelledby="mailboxes-title">
      <a class="help-link" href="/help/email-to-ticket" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="mailboxes-title">Mailboxes</h2>
      <p class="muted">Email to these addresses becomes tickets; public replies are sent from them.</p>
      <div class="mailbox-list"></div>
      <hd-mailbox-form></hd-mailbox-form></section>`, this);
    this.load();
  }

  disconnectedCallback() {
    for (const type of ['click', 'change', 'mailbox-saved', 'mailbox-cancel']) this.removeEventListener(type, this);
  }

  async load() {
    try {
      this.mailboxes = (await api('/api/mailboxes')).mailboxes;
      this.update();
    } catch (error) {
      render(html`<div class="error-state" role="alert">${error.message}</div>`, this.querySelector('.mailbox-list'));
    }
  }

  item(m) {
    const test = this.tests.get(m.id);
    return html`<li class="card mailbox ${m.enabled ? '' : 'disabled'}" aria-label="${m.address}">
      <div><strong>${m.displayName || m.address}</strong> <span class="muted">&lt;${m.address}&gt;</span> <span class="tag">${m.name}</span>
        <p class="muted">IMAP ${m.imap.host}:${m.imap.port} (${SECURITY_NAMES[m.imap.security]}), folder ${m.imapFolder},
          then ${m.moveTo ? `move to ${m.moveTo}` : 'mark as read'} · SMTP ${m.smtp.host}:${m.smtp.port} (${SECURITY_NAMES[m.smtp.security]})</p>
        ${test ? html`<ul class="mailbox-test" aria-label="Connection test of ${m.address}">${testSide('IMAP', test.imap)}${testSide('SMTP', test.smtp)}</ul>` : ''}</div>
      <div class="row-actions">
        <label class="toggle"><input type="checkbox" data-toggle="${m.id}" ${m.enabled ? html`checked` : ''} aria-label="${m.address} enabled"> Enabled</label>
        <button type="button" class="button" data-test="${m.id}" aria-label="Test connection of ${m.address}" ${this.testing.has(m.id) ? html`disabled` : ''}>
          ${this.testing.has(m.id) ? 'Testing…' : 'Test connection'}</button>
        <button type="button" class="button" data-edit="${m.id}" aria-label="Edit ${m.address}">Edit</button>
        <button type="button" class="button danger" data-delete="${m.id}" aria-label="Delete ${m.address}">Delete</button>
      </div></li>`;
  }

  update() {
    render(this.mailboxes.length ? html`<ul class="mailboxes">${this.mailboxes.map((m) => this.item(m))}</ul>`
      : html`<p class="empty-state">No mailboxes yet. Add one below to receive and send email.</p>`, this.querySelector('.mailbox-list'));
  }

  async test(id) {
    this.testing.add(id);
    this.update();
    try {
      this.tests.set(id, await api(`/api/mailboxes/${id}/test`, { method: 'POST' }));
    } catch (error) {
      announce(error.message, 'error');
    }
    this.testing.delete(id);
    this.update();
  }

  async toggle(id, enabled) {
    try {
      const mailbox = await api(`/api/mailboxes/${id}`, { method: 'PATCH', body: { enabled } });
      announce(`${mailbox.address} ${enabled ? 'enabled' : 'disabled'}.`);
    } catch (error) {
      announce(error.message, 'error');
    }
    this.load();
  }

  async remove(id) {
    const mailbox = this.mailboxes.find((candidate) => candidate.id === id);
    if (!await confirmAction({ title: 'Delete mailbox?', message: `Mail to ${mailbox.address} will no longer be read, and replies can no longer be sent from it. To pause it instead, disable it.`,
      confirmLabel: 'Delete', danger: true })) return;
    try {
      await api(`/api/mailboxes/${id}`, { method: 'DELETE' });
      announce(`${mailbox.address} deleted.`);
      this.tests.delete(id);
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    if (event.type === 'mailbox-saved') {
      announce(`${event.detail.mailbox.address} ${event.detail.created ? 'created' : 'saved'}.`);
      this.tests.delete(event.detail.mailbox.id);
      return this.load();
    }
    if (event.type === 'mailbox-cancel') return undefined;
    const { dataset } = event.target;
    if (event.type === 'change' && dataset.toggle) return this.toggle(Number(dataset.toggle), event.target.checked);
    if (event.type !== 'click') return undefined;
    if (dataset.test) return this.test(Number(dataset.test));
    if (dataset.delete) return this.remove(Number(dataset.delete));
    if (dataset.edit) return this.querySelector('hd-mailbox-form').edit(this.mailboxes.find((m) => m.id === Number(dataset.edit)));
    return undefined;
  }
}

export function define() {
  if (!customElements.get('hd-settings-mailboxes')) customElements.define('hd-settings-mailboxes', SettingsMailboxes);
}
