import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { announce } from '../app/controls.js';

const KINDS = [
  ['assigned', 'A ticket is assigned to me'],
  ['reply', 'A reply arrives on my tickets'],
  ['status_changed', 'The status of my tickets changes'],
  ['mentioned', 'A colleague mentions me in an internal note'],
  ['sla_warning', 'An SLA deadline is near'],
  ['sla_breached', 'An SLA deadline is missed'],
  ['csat_rated', 'A customer rates a ticket I resolved or am assigned to'],
  ['email_failed', 'An email carrying my reply could not be delivered'],
  ['workflow', 'A workflow notifies me'],
];

/** Which kinds of notification the agent receives, saved at once (`PUT /api/notifications/preferences`). */
export class NotificationPrefs extends HTMLElement {
  connectedCallback() {
    this.addEventListener('change', this);
    render(html`<p class="muted">Loading preferences…</p>`, this);
    this.load();
  }

  disconnectedCallback() { this.removeEventListener('change', this); }

  async load() {
    try {
      this.show(await api('/api/notifications/preferences'));
    } catch (error) {
      render(html`<p class="field-error">${error.message}</p>`, this);
    }
  }

  show(preferences) {
    render(html`<fieldset class="notification-prefs bare"><legend class="label-text">Notify me when</legend>
      ${KINDS.map(([kind, text]) => html`<label><input type="checkbox" name="${kind}" ${preferences[kind] ? html`checked` : ''}> ${text}</label>`)}
    </fieldset>`, this);
  }

  async handleEvent(event) {
    const box = event.target;
    try {
      this.show(await api('/api/notifications/preferences', { method: 'PUT', body: { [box.name]: box.checked } }));
      this.querySelector(`[name="${box.name}"]`)?.focus();
      announce('Notification preferences saved.');
    } catch (error) {
      box.checked = !box.checked;
      announce(error.message, 'error');
    }
  }
}

export function define() {
  if (!customElements.get('hd-notification-prefs')) customElements.define('hd-notification-prefs', NotificationPrefs);
}
