import { html, render } from '../app/html.js';
import { store } from '../app/store.js';

const STATES = {
  connecting: ['Connecting…', 'Connecting to live updates'],
  connected: ['Live', 'Live updates connected'],
  reconnecting: ['Reconnecting…', 'Live updates lost; reconnecting'],
  offline: ['Offline', 'Live updates off'],
};

/** The live connection indicator in the shell, announced politely when it changes. */
export class LiveStatus extends HTMLElement {
  #stop = null;

  connectedCallback() {
    render(html`<span class="live-status" role="status" aria-live="polite"></span>`, this);
    this.#stop = store.subscribe((keys) => { if (keys.includes('live')) this.update(); });
    this.update();
  }

  disconnectedCallback() { this.#stop?.(); }

  update() {
    const state = store.state.live || 'connecting';
    const [text, title] = STATES[state] || STATES.connecting;
    const badge = this.querySelector('.live-status');
    badge.dataset.state = state;
    badge.title = title;
    render(html`<span class="live-dot" aria-hidden="true"></span><span class="live-text">${text}</span>`, badge);
  }
}

export function define() {
  if (!customElements.get('hd-live-status')) customElements.define('hd-live-status', LiveStatus);
}
