import { html, render } from '../app/html.js';

/**
 * Above the composer: someone else replied while the agent writes. `warn(message)` shows
 * who, with a link that scrolls to and focuses their reply; `clear()` hides it.
 */
export class CollisionWarning extends HTMLElement {
  connectedCallback() { this.addEventListener('click', this); }

  disconnectedCallback() { this.removeEventListener('click', this); }

  warn(message) {
    const who = message.author.name || (message.author.type === 'requester' ? 'The customer' : 'Someone');
    render(html`<strong>${who} replied while you were writing</strong> — review it before you send.
      <a href="#message-${message.id}" data-review>Show the reply</a>`, this);
    this.hidden = false;
  }

  clear() { this.hidden = true; }

  handleEvent(event) {
    const link = event.target.closest('[data-review]');
    if (!link) return;
    event.preventDefault();
    const message = document.getElementById(link.getAttribute('href').slice(1));
    message?.scrollIntoView({ block: 'center' });
    message?.focus();
  }
}

export function define() {
  if (!customElements.get('hd-collision-warning')) customElements.define('hd-collision-warning', CollisionWarning);
}
