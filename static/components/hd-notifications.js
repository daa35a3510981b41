import { html, render } from '../app/html.js';
import { store } from '../app/store.js';

/**
 * The notification bell: a button that opens a panel listing `store.state.notifications`
 * (filled by the live-updates work). Until something arrives it says so honestly.
 */
export class Notifications extends HTMLElement {
  #stop = null;

  connectedCallback() {
    this.#stop = store.subscribe((keys) => { if (keys.includes('notifications')) this.update(); });
    this.addEventListener('click', this);
    this.addEventListener('keydown', this);
    document.addEventListener('click', this);
    render(html`
      <button type="button" class="icon-button bell" aria-expanded="false" aria-controls="notification-panel">
        <span class="bell-icon" aria-hidden="true"></span><span class="visually-hidden">Notifications</span>
        <span class="badge" hidden></span>
      </button>
      <section id="notification-panel" class="popover" role="region" aria-label="Notifications" hidden>
        <h2 class="popover-title">Notifications</h2>
        <ul class="notification-list" aria-live="polite"></ul>
      </section>`, this);
    this.update();
  }

  disconnectedCallback() {
    this.#stop?.();
    this.removeEventListener('click', this);
    this.removeEventListener('keydown', this);
    document.removeEventListener('click', this);
  }

  update() {
    const items = store.state.notifications || [];
    const badge = this.querySelector('.badge');
    badge.hidden = items.length === 0;
    badge.textContent = String(items.length);
    render(items.length
      ? items.map((item) => html`<li><a href="${item.href || '#'}">${item.text}</a></li>`)
      : html`<li class="muted">No notifications</li>`, this.querySelector('.notification-list'));
  }

  toggle(open) {
    const button = this.querySelector('button');
    button.setAttribute('aria-expanded', String(open));
    this.querySelector('.popover').hidden = !open;
  }

  handleEvent(event) {
    const inside = this.contains(event.target);
    if (event.type === 'keydown' && event.key === 'Escape') {
      this.toggle(false);
      this.querySelector('button').focus();
    } else if (event.type === 'click' && event.currentTarget === this && event.target.closest('button.bell')) {
      this.toggle(this.querySelector('.popover').hidden);
    } else if (event.type === 'click' && event.currentTarget === document && !inside) {
      this.toggle(false);
    }
  }
}

export function define() {
  if (!customElements.get('hd-notifications')) customElements.define('hd-notifications', Notifications);
}
