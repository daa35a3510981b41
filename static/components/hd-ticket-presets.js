import { html, render } from '../app/html.js';
import { searchFromView, PRESETS } from '../app/ticket-query.js';

/** The list's preset tabs and, while searching, "Results for …" with a link clearing the search. Data down: `.view`, then `update()`. */
export class TicketPresets extends HTMLElement {
  view = null;

  connectedCallback() { this.update(); }

  update() {
    if (!this.view) return;
    const { filter } = this.view;
    render(html`<nav class="presets" aria-label="Presets">${PRESETS.map((preset) => html`<a href="/tickets${preset.id ? `?preset=${preset.id}` : ''}"
      ${(filter.preset || '') === preset.id ? html`aria-current="page"` : ''}>${preset.name}</a>`)}</nav>
      <div class="search-chip">${filter.q ? html`<p>Results for <strong>“${filter.q}”</strong>
      <a href="/tickets?${searchFromView({ ...this.view, filter: { ...filter, q: '' } })}">Clear search</a></p>` : ''}</div>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-ticket-presets')) customElements.define('hd-ticket-presets', TicketPresets);
}
