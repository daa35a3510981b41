import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { options, agentOptions } from '../app/controls.js';
import { STATUSES, PRIORITIES, CATEGORIES, CHANNELS } from '../app/format.js';

const UNRESOLVED = 'open,pending,in_progress,on_hold';
const ANY = [['', 'Any']];
const SLA_FILTER = [['on_track', 'On track'], ['breaching', 'Breaching'], ['breached', 'Breached'], ['breaching,breached', 'Breaching or breached']];

/** The keys shown as chips, with their labels, in the order of the form. */
const CHIP_KEYS = [['status', 'Status'], ['priority', 'Priority'], ['category', 'Category'], ['channel', 'Channel'],
  ['assignee', 'Assignee'], ['slaStatus', 'SLA'], ['tag', 'Tag'], ['createdFrom', 'Created from'], ['createdTo', 'Created to'],
  ['updatedFrom', 'Updated from'], ['updatedTo', 'Updated to'], ['requester', 'Requester']];

/**
 * The filters of the ticket list, collapsed behind a "Filters" button, with each active
 * filter shown as a chip that removes it. Set `.filter` (the view's filter); emits
 * `filter-change` with the new filter whenever a control changes.
 */
export class TicketFilters extends HTMLElement {
  #filter = {};
  #open = false;
  /** The requester's name for the chip, when the list knows it. */
  requesterName = null;

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
    const chips = this.chips(agents, statuses);
    render(html`
      <div class="filter-bar">
        <button type="button" class="button filter-toggle" data-action="toggle" aria-expanded="${String(this.#open)}" aria-controls="list-filters">
          Filters${chips.length ? html` <span class="count-badge">${chips.length}</span>` : ''}</button>
        <ul class="chips" aria-label="Active filters">${chips.map(([key, text, value]) => html`<li class="chip">${text}: ${value}
          <button type="button" class="chip-remove" data-clear="${key}" aria-label="Remove the filter ${text}: ${value}">×</button></li>`)}</ul>
        ${chips.length ? html`<button type="button" class="button subtle small" data-clear="all">Clear filters</button>` : ''}
      </div>
      <form class="filters" id="list-filters" aria-label="Filters" ${this.#open ? '' : html`hidden`}>
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
      </form>`, this);
  }

  /** The active filters as [key, label, value in words]. */
  chips(agents, statuses) {
    const f = this.#filter;
    const named = { status: statuses, priority: PRIORITIES, category: CATEGORIES, channel: CHANNELS, assignee: agents, slaStatus: SLA_FILTER };
    return CHIP_KEYS.filter(([key]) => f[key]).map(([key, text]) => {
      const pairs = named[key];
      const value = pairs?.find(([candidate]) => candidate === f[key])?.[1] ?? (key === 'requester' ? this.requesterName ?? 'one requester' : f[key]);
      return [key, text, value];
    });
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
    } else if (event.type === 'click' && event.target.closest('[data-action="toggle"]')) {
      this.#open = !this.#open;
      this.querySelector('.filters').hidden = !this.#open;
      event.target.closest('[data-action="toggle"]').setAttribute('aria-expanded', String(this.#open));
      if (this.#open) this.querySelector('.filters select')?.focus();
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
