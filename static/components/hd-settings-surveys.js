import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { showFieldError, clearFieldErrors, announce } from '../app/controls.js';

/**
 * CSAT survey settings (`/api/survey-settings`, account.manage): on or off, the delay
 * before the survey email, how long a survey stays open, and the question. Changes apply
 * to surveys created afterwards.
 */
export class SettingsSurveys extends HTMLElement {
  connectedCallback() {
    this.addEventListener('submit', this);
    this.load();
  }

  disconnectedCallback() { this.removeEventListener('submit', this); }

  async load() {
    try {
      this.show(await api('/api/survey-settings'));
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  show(s) {
    render(html`<section aria-labelledby="surveys-title">
      <a class="help-link" href="/help/portal-and-csat" aria-label="User guide for this screen" title="User guide for this screen">?</a><h2 id="surveys-title">Satisfaction surveys</h2>
      <form class="card" novalidate>
        <p class="muted">When a ticket is resolved, its requester is asked to rate the help (1 to 5 stars and a comment).
          Changes apply to surveys created from now on.</p>
        <div class="field"><label class="toggle"><input type="checkbox" name="enabled" id="survey-enabled" ${s.enabled ? html`checked` : ''}>
          Send a survey when a ticket is resolved</label></div>
        <div class="field"><label for="survey-delay">Email the survey after (minutes)</label>
          <input id="survey-delay" name="delayMinutes" type="number" min="0" max="10080" step="1" value="${s.delayMinutes}" required>
          <p class="muted">0 sends it at once; at most 10,080 (a week). Reopening the ticket before an answer cancels the survey.</p></div>
        <div class="field"><label for="survey-expiry">Open for (days)</label>
          <input id="survey-expiry" name="expiryDays" type="number" min="1" max="90" step="1" value="${s.expiryDays}" required></div>
        <div class="field"><label for="survey-question">Question</label>
          <input id="survey-question" name="question" maxlength="300" value="${s.question}" required></div>
        <button type="submit" class="button primary">Save survey settings</button>
      </form>
    </section>`, this);
  }

  async handleEvent(event) {
    event.preventDefault();
    const form = event.target;
    clearFieldErrors(form);
    const body = { enabled: form.enabled.checked, delayMinutes: Number(form.delayMinutes.value),
      expiryDays: Number(form.expiryDays.value), question: form.question.value };
    try {
      this.show(await api('/api/survey-settings', { method: 'PUT', body }));
      this.querySelector('button[type=submit]').focus();
      announce('Survey settings saved.');
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }
}

export function define() {
  if (!customElements.get('hd-settings-surveys')) customElements.define('hd-settings-surveys', SettingsSurveys);
}
