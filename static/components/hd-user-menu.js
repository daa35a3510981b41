import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';

/** The signed-in agent's menu: who they are, their role, the user guide and sign out. */
export class UserMenu extends HTMLElement {
  connectedCallback() {
    const { agent } = store.state.session;
    const initials = agent.name.split(/\s+/).map((word) => word[0]).join('').slice(0, 2).toUpperCase();
    render(html`
      <button type="button" class="user-button" aria-expanded="false" aria-controls="user-menu-panel">
        <span class="avatar" aria-hidden="true">${initials}</span><span class="user-name">${agent.name}</span>
      </button>
      <div id="user-menu-panel" class="popover" hidden>
        <p class="who"><strong>${agent.name}</strong><br><span class="muted">${agent.email}</span><br><span class="muted">${agent.role}</span></p>
        <p><a href="/preferences" data-action="prefs">Preferences</a></p>
        <p><a href="/help" data-action="help">User guide</a></p>
        <button type="button" class="button" data-action="logout">Sign out</button>
      </div>`, this);
    this.addEventListener('click', this);
    this.addEventListener('keydown', this);
    document.addEventListener('click', this);
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('keydown', this);
    document.removeEventListener('click', this);
  }

  toggle(open) {
    this.querySelector('.user-button').setAttribute('aria-expanded', String(open));
    this.querySelector('.popover').hidden = !open;
    if (open) this.querySelector('[data-action="logout"]').focus();
  }

  async handleEvent(event) {
    if (event.type === 'keydown') {
      if (event.key !== 'Escape') return;
      this.toggle(false);
      this.querySelector('.user-button').focus();
    } else if (event.currentTarget === document) {
      if (!this.contains(event.target)) this.toggle(false);
    } else if (event.target.closest('[data-action="help"]')) {
      this.toggle(false); // the router follows the link
    } else if (event.target.closest('.user-button')) {
      this.toggle(this.querySelector('.popover').hidden);
    } else if (event.target.closest('[data-action="prefs"]')) {
      this.toggle(false);
    } else if (event.target.closest('[data-action="logout"]')) {
      await api('/api/session', { method: 'DELETE' }).catch(() => {});
      store.set({ session: null, expired: false });
      navigate('/login', { replace: true });
    }
  }
}

export function define() {
  if (!customElements.get('hd-user-menu')) customElements.define('hd-user-menu', UserMenu);
}
