import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { formatDateTime } from '../app/format.js';
import { announce, showFieldError, clearFieldErrors } from '../app/controls.js';
import { confirmAction } from './hd-confirm.js';

/**
 * The webhooks a workflow can call: add one (its secret shown once), rotate the secret,
 * enable/disable, delete, and each one's delivery log with every attempt's response code.
 */
export class SettingsWebhooks extends HTMLElement {
  hooks = [];
  #secret = null;
  #log = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('change', this);
    this.addEventListener('submit', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('change', this);
    this.removeEventListener('submit', this);
  }

  async load() {
    try {
      this.hooks = (await api('/api/webhooks')).webhooks;
    } catch (error) {
      announce(error.message, 'error');
    }
    this.update();
  }

  update() {
    const log = this.#log;
    render(html`<section class="wf-webhooks" aria-labelledby="wf-hooks-title">
      <h3 class="section-title" id="wf-hooks-title">Webhooks</h3>
      <p class="muted">Each call is a JSON POST signed with X-Helpdesk-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body),
        the timestamp in X-Helpdesk-Timestamp. Failures are retried with backoff for about 9 hours.</p>
      ${this.#secret ? html`<p class="card" role="status">Secret of <strong>${this.#secret.name}</strong> (shown once, copy it now):
        <code class="wf-secret">${this.#secret.value}</code></p>` : ''}
      <ul class="rule-list">${this.hooks.map((h) => html`<li class="card">
        <strong>${h.name}</strong> <span class="muted mono">${h.url}</span>
        <label class="toggle"><input type="checkbox" data-hook-toggle="${h.id}" ${h.enabled ? html`checked` : ''}> Enabled</label>
        <div class="row-actions">
          <button type="button" class="button" data-deliveries="${h.id}">Delivery log</button>
          <button type="button" class="button" data-rotate="${h.id}">Rotate secret</button>
          <button type="button" class="button danger" data-hook-delete="${h.id}" aria-label="Delete webhook ${h.name}">Delete</button></div>
        ${log && log.id === h.id ? html`<ol class="wf-deliveries">${log.deliveries.length ? log.deliveries.map((d) => html`<li>
          Delivery ${d.id}: ${d.state} — ${d.attempts.map((a) => `${a.status ?? a.error} (${formatDateTime(a.at)})`).join('; ') || 'not tried yet'}</li>`)
          : html`<li class="muted">No deliveries yet.</li>`}</ol>` : ''}</li>`)}</ul>
      <form class="card stack-form" novalidate data-hook-form>
        <div class="field"><label for="hook-name">Webhook name</label><input id="hook-name" name="name"></div>
        <div class="field"><label for="hook-url">URL</label><input id="hook-url" name="url" type="url" placeholder="https://example.com/hooks/helpdesk"></div>
        <div class="dialog-actions"><button type="submit" class="button">Add webhook</button></div></form></section>`, this);
  }

  async act(request, message) {
    try {
      await request();
      if (message) announce(message);
      await this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  async create(form) {
    clearFieldErrors(form);
    try {
      const hook = await api('/api/webhooks', { method: 'POST', body: { name: form.name.value.trim(), url: form.url.value.trim() } });
      this.#secret = { name: hook.name, value: hook.secret };
      announce(`${hook.name} added.`);
      await this.load();
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async handleEvent(event) {
    const { type, target } = event;
    const data = target.dataset || {};
    if (type === 'submit') { event.preventDefault(); event.stopPropagation(); this.create(target); }
    else if (type === 'change' && data.hookToggle) {
      event.stopPropagation();
      this.act(() => api(`/api/webhooks/${data.hookToggle}`, { method: 'PATCH', body: { enabled: target.checked } }));
    } else if (type !== 'click') return;
    else if (data.deliveries) {
      this.#log = { id: Number(data.deliveries), deliveries: (await api(`/api/webhooks/${data.deliveries}/deliveries`)).deliveries };
      this.update();
    } else if (data.rotate) {
      const hook = this.hooks.find((h) => h.id === Number(data.rotate));
      if (!await confirmAction({ title: 'Rotate the secret?', message: `Calls to ${hook.name} will be signed with a new secret from now on.`, confirmLabel: 'Rotate' })) return;
      const { secret } = await api(`/api/webhooks/${hook.id}/rotate-secret`, { method: 'POST' });
      this.#secret = { name: hook.name, value: secret };
      this.update();
    } else if (data.hookDelete) {
      if (!await confirmAction({ title: 'Delete webhook?', message: 'Workflows calling it will record the call as skipped.', confirmLabel: 'Delete', danger: true })) return;
      this.act(() => api(`/api/webhooks/${data.hookDelete}`, { method: 'DELETE' }), 'Webhook deleted.');
    }
  }
}

export function define() {
  if (!customElements.get('hd-settings-webhooks')) customElements.define('hd-settings-webhooks', SettingsWebhooks);
}
