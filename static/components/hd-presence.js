import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { avatars, typingText } from '../app/presence.js';
import { live } from '../app/live.js';

/**
 * Who else is on a ticket, live: `show="viewers"` renders their avatars, `show="typing"`
 * the "Ada is writing a reply…" line. Data down: `.room` (e.g. 'ticket:42'). Reads the
 * `subscribed`, `presence` and `typing` actions of that room; the page owns the room.
 */
export class Presence extends HTMLElement {
  room = '';
  #viewers = [];
  #typing = [];
  #stops = [];

  connectedCallback() {
    const mine = (listener) => (message) => { if (message.room === this.room) listener(message); };
    this.#stops = [
      store.on('subscribed', mine((message) => { this.#viewers = message.viewers || []; this.#typing = message.typing || []; this.update(); })),
      store.on('presence', mine((message) => { this.#viewers = message.viewers; this.update(); })),
      store.on('typing', mine((message) => { this.#typing = message.typing; this.update(); })),
      store.subscribe((keys) => { if (keys.includes('live') && store.state.live !== 'connected') this.clear(); }),
    ];
    if (this.getAttribute('show') === 'typing') {
      this.setAttribute('role', 'status');
      this.setAttribute('aria-live', 'polite');
    }
    this.update();
  }

  disconnectedCallback() { this.#stops.forEach((stop) => stop()); }

  /** Forgets what it showed (the connection dropped; the room's next `subscribed` restores it). */
  clear() {
    this.#viewers = [];
    this.#typing = [];
    this.update();
  }

  update() {
    if (!this.#viewers.length && !this.#typing.length && this.room) ({ viewers: this.#viewers, typing: this.#typing } = live.people(this.room));
    if (this.getAttribute('show') === 'typing') {
      const text = typingText(this.#typing);
      render(text ? html`<span class="typing-dots" aria-hidden="true"></span>${text}` : '', this);
    } else {
      render(avatars(this.#viewers), this);
    }
  }
}

export function define() {
  if (!customElements.get('hd-presence')) customElements.define('hd-presence', Presence);
}
