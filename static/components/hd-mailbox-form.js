import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { options, showFieldError, clearFieldErrors, announce } from '../app/controls.js';

const SECURITY = [['tls', 'TLS (implicit)'], ['starttls', 'STARTTLS'], ['none', 'None (unencrypted)']];
const EMPTY = { name: '', address: '', displayName: '', imapFolder: 'INBOX', moveTo: null, verifyCertificates: true,
  imap: { host: '', port: 993, security: 'tls', username: '', passwordSet: false },
  smtp: { host: '', port: 587, security: 'starttls', username: '', passwordSet: false } };

/**
 * Creates or edits one mailbox. Passwords are write-only: the API never returns them, so
 * when editing the password fields start empty and are sent only when typed into.
 * Server validation errors appear at their field (`imap.port`, `smtp.password`, ...).
 * Events up: `mailbox-saved` {mailbox, created}, `mailbox-cancel`.
 */
export class MailboxForm extends HTMLElement {
  mailbox = null;

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

  /** Fills the form with `mailbox` for editing (null: a new mailbox). */
  edit(mailbox) {
    this.mailbox = mailbox;
    this.update();
    this.querySelector('#mailbox-address').focus();
  }

  server(side, title, server) {
    const id = (field) => `mailbox-${side}-${field}`;
    const keep = this.mailbox && server.passwordSet;
    return html`<fieldset class="mailbox-server"><legend>${title}</legend>
      <div class="field"><label for="${id('host')}">${title} host</label><input id="${id('host')}" name="${side}.host" required value="${server.host}"></div>
      <div class="field"><label for="${id('port')}">${title} port</label><input id="${id('port')}" name="${side}.port" type="number" min="1" max="65535" required value="${server.port}"></div>
      <div class="field"><label for="${id('security')}">${title} security</label>
        <select id="${id('security')}" name="${side}.security">${options(SECURITY, server.security)}</select></div>
      <div class="field"><label for="${id('username')}">${title} user name</label><input id="${id('username')}" name="${side}.username" autocomplete="off" value="${server.username}"></div>
      <div class="field"><label for="${id('password')}">${title} password</label>
        <input id="${id('password')}" name="${side}.password" type="password" autocomplete="new-password"
          placeholder="${keep ? 'Stored; type to replace' : ''}" aria-describedby="${id('password-help')}">
        <p class="muted" id="${id('password-help')}">${keep ? 'A password is stored. It is never shown; leave empty to keep it.' : 'Stored encrypted; never shown again.'}</p></div>
    </fieldset>`;
  }

  update() {
    const m = this.mailbox || EMPTY;
    const moving = m.moveTo !== null && m.moveTo !== undefined;
    render(html`<form class="card stack-form mailbox-form" aria-labelledby="mailbox-form-title" novalidate>
      <h3 class="section-title" id="mailbox-form-title">${this.mailbox ? `Edit ${this.mailbox.address}` : 'New mailbox'}</h3>
      <div class="field"><label for="mailbox-address">Address</label><input id="mailbox-address" name="address" type="email" required value="${m.address}"></div>
      <div class="field"><label for="mailbox-display-name">Display name</label><input id="mailbox-display-name" name="displayName" value="${m.displayName}"></div>
      <div class="field"><label for="mailbox-name">Short name</label><input id="mailbox-name" name="name" required value="${m.name}" aria-describedby="mailbox-name-help">
        <p class="muted" id="mailbox-name-help">Letters, digits, dot, dash or underscore; used by <code>helpdesk ingest --mailbox</code>.</p></div>
      ${this.server('imap', 'IMAP', m.imap)}
      <fieldset class="mailbox-taking"><legend>Incoming mail</legend>
        <div class="field"><label for="mailbox-folder">Folder to read</label><input id="mailbox-folder" name="imapFolder" required value="${m.imapFolder}"></div>
        <fieldset class="checks bare" id="mailbox-after" data-field="moveTo" tabindex="-1"><legend>After taking a message</legend>
          <label><input type="radio" name="after" value="seen" ${moving ? '' : html`checked`}> Mark it as read (\\Seen)</label>
          <label><input type="radio" name="after" value="move" ${moving ? html`checked` : ''}> Move it to a folder</label></fieldset>
        <div class="field" ${moving ? '' : html`hidden`} data-move-field><label for="mailbox-move-to">Move to folder</label>
          <input id="mailbox-move-to" name="moveTo" value="${m.moveTo || ''}"></div>
      </fieldset>
      ${this.server('smtp', 'SMTP', m.smtp)}
      <label class="toggle"><input type="checkbox" name="verifyCertificates" ${m.verifyCertificates ? html`checked` : ''}> Verify server certificates</label>
      <div class="dialog-actions">
        ${this.mailbox ? html`<button type="button" class="button" data-cancel>Cancel</button>` : ''}
        <button type="submit" class="button primary">${this.mailbox ? 'Save mailbox' : 'Create mailbox'}</button>
      </div>
    </form>`, this);
  }

  /** The request body: every field, passwords only when typed (write-only). */
  body(form) {
    const value = (name) => form.elements.namedItem(name).value;
    const server = (side) => {
      const result = { host: value(`${side}.host`).trim(), port: Number(value(`${side}.port`)), security: value(`${side}.security`),
        username: value(`${side}.username`) };
      if (value(`${side}.password`)) result.password = value(`${side}.password`);
      return result;
    };
    const moving = form.querySelector('input[name="after"]:checked').value === 'move';
    return { name: value('name').trim(), address: value('address').trim(), displayName: value('displayName').trim(),
      imap: server('imap'), imapFolder: value('imapFolder').trim(), moveTo: moving ? value('moveTo').trim() : null,
      smtp: server('smtp'), verifyCertificates: form.elements.namedItem('verifyCertificates').checked };
  }

  async save(form) {
    clearFieldErrors(form);
    const editing = this.mailbox;
    try {
      const mailbox = await api(editing ? `/api/mailboxes/${editing.id}` : '/api/mailboxes',
        { method: editing ? 'PATCH' : 'POST', body: this.body(form) });
      this.mailbox = null;
      this.update();
      this.dispatchEvent(new CustomEvent('mailbox-saved', { bubbles: true, detail: { mailbox, created: !editing } }));
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    if (event.type === 'submit') { event.preventDefault(); this.save(event.target); }
    else if (event.type === 'change' && event.target.name === 'after') {
      this.querySelector('[data-move-field]').hidden = event.target.value !== 'move';
    } else if (event.type === 'click' && 'cancel' in event.target.dataset) {
      this.mailbox = null;
      this.update();
      this.dispatchEvent(new CustomEvent('mailbox-cancel', { bubbles: true }));
    }
  }
}

export function define() {
  if (!customElements.get('hd-mailbox-form')) customElements.define('hd-mailbox-form', MailboxForm);
}
