import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store } from '../app/store.js';
import { navigate } from '../app/router.js';
import { showFieldError, clearFieldErrors, announce } from '../app/controls.js';

/**
 * First run: create the first administrator with the token from the server log, then
 * sign them in and open the (empty) help desk with its getting-started checklist.
 */
export class SetupPage extends HTMLElement {
  connectedCallback() {
    const token = new URLSearchParams(location.search).get('token') || '';
    render(html`
      <main class="auth-page" id="main">
        <form class="auth-card" novalidate>
          <h1>Set up the help desk</h1>
          <p>This help desk has no administrator yet. Create the first one here.</p>
          <p class="muted setup-where">The setup link, with its one-time token, is in the server's log (its standard
            output) from when it started: look for the line <q>no administrator yet: open …/setup?token=…</q>.
            Opening that link fills in the token below.</p>
          <p class="form-error" role="alert" hidden></p>
          <label for="setup-token">Setup token</label>
          <input id="setup-token" name="token" required value="${token}" autocomplete="off">
          <label for="setup-name">Your name</label>
          <input id="setup-name" name="name" required autocomplete="name">
          <label for="setup-email">Email</label>
          <input id="setup-email" name="email" type="email" required autocomplete="username">
          <label for="setup-password">Password <span class="muted">(at least 12 characters)</span></label>
          <input id="setup-password" name="password" type="password" minlength="12" required autocomplete="new-password">
          <button class="button primary wide" type="submit">Create administrator</button>
        </form>
      </main>`, this);
    this.addEventListener('submit', this);
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
  }

  async handleEvent(event) {
    event.preventDefault();
    const form = event.target;
    const error = form.querySelector('.form-error');
    clearFieldErrors(form);
    error.hidden = true;
    const body = Object.fromEntries(['token', 'name', 'email', 'password'].map((name) => [name, form[name].value]));
    try {
      await api('/api/setup', { method: 'POST', body });
      const session = await api('/api/session', { method: 'POST', body: { email: body.email, password: body.password } });
      announce(`Welcome, ${body.name}. Your help desk is ready.`);
      history.replaceState(null, '', '/tickets');
      store.set({ session, expired: false });
    } catch (problem) {
      if (!showFieldError(form, problem)) {
        error.textContent = problem.message;
        error.hidden = false;
      }
    }
  }
}

export function define() {
  if (!customElements.get('hd-setup')) customElements.define('hd-setup', SetupPage);
}
