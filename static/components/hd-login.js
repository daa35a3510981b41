import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';

/** The sign-in page; after signing in the app returns to `?next=`. */
export class LoginPage extends HTMLElement {
  connectedCallback() {
    const expired = store.state.expired;
    render(html`
      <main class="auth-page" id="main">
        <form class="auth-card" novalidate>
          <h1>Sign in to the help desk</h1>
          ${expired ? html`<p class="notice" role="status">Your session has ended. Sign in again to continue where you were.</p>` : ''}
          <p class="form-error" role="alert" hidden></p>
          <label for="login-email">Email</label>
          <input id="login-email" name="email" type="email" autocomplete="username" required autofocus>
          <label for="login-password">Password</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required>
          <button class="button primary wide" type="submit">Sign in</button>
        </form>
      </main>`, this);
    this.addEventListener('submit', this);
    this.querySelector('#login-email').focus();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
  }

  async handleEvent(event) {
    event.preventDefault();
    const form = event.target;
    const error = form.querySelector('.form-error');
    const button = form.querySelector('button');
    if (!form.email.value || !form.password.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      const session = await api('/api/session', { method: 'POST', body: { email: form.email.value, password: form.password.value } });
      store.set({ session, expired: false });
    } catch (problem) {
      error.textContent = problem.status === 401 ? 'That email and password do not match an active agent.' : problem.message;
      error.hidden = false;
      form.password.select();
    } finally {
      button.disabled = false;
    }
  }
}

export function define() {
  if (!customElements.get('hd-login')) customElements.define('hd-login', LoginPage);
}
