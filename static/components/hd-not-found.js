import { html, render } from '../app/html.js';

/** The page for an unknown address or a screen the agent may not open. */
export class NotFoundPage extends HTMLElement {
  connectedCallback() {
    render(html`
      <section class="page narrow empty-state">
        <h1>Page not found</h1>
        <p>This page does not exist, or your role does not allow you to open it.</p>
        <p><a class="button" href="/tickets">Go to tickets</a></p>
      </section>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-not-found')) customElements.define('hd-not-found', NotFoundPage);
}
