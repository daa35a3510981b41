import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { options, agentOptions } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, CHANNELS } from '../app/format.js';

const UNRESOLVED = 'open,pending,in_progress,on_hold';
const ANY = [['', 'Any']];
const SLA_FILTER = [['on_track', 'On track'], ['breaching', 'Breaching'], ['breached', 'Breached'], ['breaching,breached', 'Breaching or breached']];

/**
 * The filter bar of the ticket list. Set `.filter` (the view's filter); emits
 * `filter-change` with the new filter whenever a control changes.
 */
export class TicketFilters extends HTMLElement {
  #filter = {};

  set filter(value) {
    this.#filter = { ...value };
    if (this.isConnected) this.update();
  }

  connectedCallback() {
    this.addEventListener('change', this);
    this.addEventListener('submit', this);
    this.addEventListener('click', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('change', this);
    this.removeEventListener('submit', this);
    this.removeEventListener('click', this);
  }

  update() {
    const f = this.#filter;
    const agents = [['me', 'Me'], ['none', 'Unassigned'], ['any', 'Anyone assigned'], ...agentOptions(store.state.agents)];
    const select = (name, text, pairs) => html`
      <div class="filter"><label for="filter-${name}">${text}</label>
      <select id="filter-${name}" name="${name}">${options([...ANY, ...pairs], f[name] || '')}</select></div>`;
    const date = (name, text) => html`
      <div class="filter"><label for="filter-${name}">${text}</label>
      <input id="filter-${name}" name="${name}" type="date" value="${(f[name] || '').slice(0, 10)}"></div>`;
    const statuses = [[UNRESOLVED, 'Unresolved'], ...STATUSES];
    const custom = f.status && !statuses.some(([value]) => value === f.status) ? [[f.status, f.status]] : [];
    render(html`
      <form class="filters" aria-label="Filters">
        ${select('status', 'Status', [...statuses, ...custom])}
        ${select('priority', 'Priority', PRIORITIES)}
        ${select('category', 'Category', CATEGORIES)}
        ${select('channel', 'Channel', CHANNELS)}
        ${select('assignee', 'Assignee', agents)}
        ${select('slaStatus', 'SLA', SLA_FILTER)}
        <div class="filter"><label for="filter-tag">Tag</label>
          <input id="filter-tag" name="tag" value="${f.tag || ''}" placeholder="any tag" size="10"></div>
        ${date('createdFrom', 'Created from')}${date('createdTo', 'Created to')}
        ${date('updatedFrom', 'Updated from')}${date('updatedTo', 'Updated to')}
        ${f.requester ? html`<div class="filter chip-filter"><span class="label">Requester</span>
          <span class="chip">#${f.requester}<button type="button" class="chip-remove" data-clear="requester"
            aria-label="Remove the requester filter">×</button></span></div>` : ''}
        <div class="filter filter-actions"><button type="button" class="button subtle" data-clear="all">Clear filters</button></div>
      </form>`, this);
  }

  emit(filter) {
    this.dispatchEvent(new CustomEvent('filter-change', { detail: filter, bubbles: true }));
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      this.emit(this.read());
    } else if (event.type === 'change' && event.target.name) {
      this.emit(this.read());
    } else if (event.type === 'click' && event.target.dataset.clear) {
      const name = event.target.dataset.clear;
      if (name === 'all') this.emit(this.#filter.q ? { q: this.#filter.q } : {});
      else this.emit({ ...this.#filter, [name]: '' });
    }
  }

  /** The filter as the controls show it (keeping the preset, search and requester). */
  read() {
    const form = this.querySelector('form');
    const filter = { preset: this.#filter.preset, q: this.#filter.q, requester: this.#filter.requester };
    for (const element of form.elements) {
      if (element.name && element.value) filter[element.name] = element.value.trim();
    }
    return filter;
  }
}

export function define() {
  if (!customElements.get('hd-ticket-filters')) customElements.define('hd-ticket-filters', TicketFilters);
}
