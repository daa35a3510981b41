import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { announce } from '../app/controls.js';
import { formatDateTime, toLocalInput, fromLocalInput } from '../app/format.js';
import { confirmAction } from './hd-confirm.js';

/**
 * The requester's access link (agents with `ticket.update`): create it, copy the portal
 * URL, regenerate it (the old link stops working) and set or remove its expiry.
 * Data down: `.ticketId`; up: `timeline-changed` after each change (the timeline reloads).
 */
export class AccessLinkPanel extends HTMLElement {
  ticketId = null;
  link = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('submit', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('submit', this);
  }

  get #path() { return `/api/tickets/${this.ticketId}/access-link`; }

  async load() {
    try {
      this.show((await api(this.#path)).link);
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  show(link) {
    this.link = link;
    render(html`<section class="card access-link" aria-labelledby="access-link-title">
      <h2 id="access-link-title">Requester link</h2>
      ${link ? this.linkView(link) : html`<p class="muted">The requester can follow and answer this ticket through a private link.</p>
        <button type="button" class="button" data-action="issue">Create link</button>`}
    </section>`, this);
  }

  linkView(link) {
    const state = link.expired ? html`<p class="field-error">Expired ${formatDateTime(link.expiresAt)}: the requester cannot open it.</p>`
      : link.expiresAt ? html`<p class="muted">Works until ${formatDateTime(link.expiresAt)}.</p>` : html`<p class="muted">Never expires.</p>`;
    return html`
      ${link.url ? html`<label for="access-link-url">Portal link</label>
        <div class="inline-form"><input id="access-link-url" class="access-link-url" readonly value="${link.url}">
        <button type="button" class="button" data-action="copy">Copy</button></div>`
        : html`<p class="muted">This link was made under another server key; regenerate it to copy one.</p>`}
      ${state}
      <form class="inline-form access-link-expiry">
        <label for="access-link-expires">Expires</label>
        <input id="access-link-expires" name="expires" type="datetime-local" value="${toLocalInput(link.expiresAt)}">
        <button type="submit" class="button">Save expiry</button>
        ${link.expiresAt ? html`<button type="button" class="link-button" data-action="no-expiry">Remove expiry</button>` : ''}
      </form>
      <button type="button" class="button danger" data-action="regenerate">Regenerate link</button>`;
  }

  async change(method, body, message) {
    try {
      this.show((await api(this.#path, { method, body })).link);
      announce(message);
      this.dispatchEvent(new CustomEvent('timeline-changed', { bubbles: true }));
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  async regenerate() {
    const sure = await confirmAction({ title: 'Regenerate the requester link?', danger: true, confirmLabel: 'Regenerate',
      message: 'The current link stops working at once. Send the new one to the requester.' });
    if (sure) await this.change('POST', { expiresAt: this.link?.expiresAt && !this.link.expired ? this.link.expiresAt : null }, 'New link made; the old one no longer works.');
    this.querySelector('[data-action="copy"]')?.focus();
  }

  async copy() {
    const input = this.querySelector('.access-link-url');
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // Clipboard access needs a secure context; select the text so Ctrl+C copies it.
      input.select();
    }
    announce('Link copied.');
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      this.change('PATCH', { expiresAt: fromLocalInput(event.target.expires.value) }, 'Expiry saved.');
      return;
    }
    const action = event.target.dataset?.action;
    if (action === 'issue') this.change('POST', {}, 'Link created.');
    else if (action === 'copy') this.copy();
    else if (action === 'regenerate') this.regenerate();
    else if (action === 'no-expiry') this.change('PATCH', { expiresAt: null }, 'Expiry removed.');
  }
}

export function define() {
  if (!customElements.get('hd-access-link')) customElements.define('hd-access-link', AccessLinkPanel);
}
