import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';
import { announce } from '../app/controls.js';
import { viewFromSearch, searchFromView, apiSearch, bulkFilter } from '../app/ticket-query.js';
import { define as definePresets } from './hd-ticket-presets.js';
import { define as defineFilters } from './hd-ticket-filters.js';
import { define as defineTable } from './hd-ticket-table.js';
import { define as defineBulkBar } from './hd-bulk-bar.js';
import { confirmAction } from './hd-confirm.js';
import { TicketListLive } from '../app/ticket-list-live.js';
import { bulkConfirmation, applyBulk, selectMatchingOffer } from '../app/ticket-bulk.js';
import { define as defineTools } from './hd-list-tools.js';
import { listDensity, visibleColumns } from '../app/list-layout.js';
import { listKey } from '../app/list-keys.js';
import { emptyState } from '../app/list-empty.js';
import { earlyOr } from '../app/boot.js';

const EVENTS = ['filter-change', 'sort-change', 'selection-change', 'filter-requester', 'bulk-apply', 'bulk-clear', 'click', 'layout-change'];

/**
 * The ticket list page: presets, filters (collapsed, with chips), sorting, cursor pages,
 * selection, bulk changes, export, row density and columns; j/k/x from the keyboard and
 * a "Skip to the tickets" button for keyboard users.
 */
export class TicketList extends HTMLElement {
  view = viewFromSearch();
  tickets = [];
  selected = new Set();
  allMatching = false;
  nextCursor = null;
  total = null;
  #request = 0;
  #live = new TicketListLive(this);

  connectedCallback() {
    render(html`
      <section class="page" aria-labelledby="list-title">
        <button type="button" class="skip-link skip-to-tickets" data-action="skip">Skip to the tickets</button>
        <header class="page-head">
          <h1 id="list-title">Tickets</h1>
          <p class="count muted" aria-live="polite"></p>
          <div class="page-actions">
            ${can('ticket.export') ? html`<a class="button" data-export download="tickets.csv" href="/api/tickets/export.csv">Export CSV</a>` : ''}
          </div>
        </header>
        <hd-ticket-presets></hd-ticket-presets>
        <div class="list-toolbar"><hd-ticket-filters></hd-ticket-filters><hd-list-tools></hd-list-tools></div>
        <div class="new-bar" role="status" aria-live="polite" hidden></div>
        <hd-bulk-bar hidden></hd-bulk-bar>
        <p class="select-matching" hidden></p>
        <div class="list-state" role="status"></div>
        <hd-ticket-table></hd-ticket-table>
        <div class="load-more" hidden><button type="button" class="button" data-action="more">Load more</button></div>
      </section>`, this);
    for (const type of EVENTS) this.addEventListener(type, this);
    document.addEventListener('keydown', this);
    document.addEventListener('bulk-undone', this);
    document.title = 'Tickets · Help desk';
    this.#live.start();
    this.routeChanged();
  }

  disconnectedCallback() {
    this.#live.stop();
    for (const type of EVENTS) this.removeEventListener(type, this);
    document.removeEventListener('keydown', this);
    document.removeEventListener('bulk-undone', this);
  }

  /** Reads the view from the address and loads its first page. */
  routeChanged() {
    this.view = viewFromSearch();
    this.selected = new Set();
    this.allMatching = false;
    const presets = this.querySelector('hd-ticket-presets');
    presets.view = this.view;
    presets.update();
    this.querySelector('hd-ticket-filters').filter = this.view.filter;
    const exportLink = this.querySelector('[data-export]');
    if (exportLink) exportLink.href = `/api/tickets/export.csv?${searchFromView(this.view)}`;
    this.#live.showFresh(0);
    this.load();
  }

  go(view) {
    navigate(`/tickets${searchFromView(view) ? `?${searchFromView(view)}` : ''}`);
  }

  async load({ more = false } = {}) {
    const request = ++this.#request;
    const state = this.querySelector('.list-state');
    this.setAttribute('aria-busy', 'true');
    if (!more) render(html`<p class="loading">Loading tickets…</p>`, state);
    try {
      const page = await earlyOr(`/api/tickets?${apiSearch(this.view, { cursor: more ? this.nextCursor : null })}`, api);
      if (request !== this.#request) return;
      this.tickets = more ? [...this.tickets, ...page.tickets] : page.tickets;
      this.nextCursor = page.nextCursor;
      this.total = page.total;
      render(this.tickets.length ? '' : emptyState(this.view.filter), state);
    } catch (error) {
      if (request !== this.#request) return;
      this.tickets = more ? this.tickets : [];
      render(html`<div class="error-state" role="alert"><p>${error.message}</p>
        <button type="button" class="button" data-action="retry">Try again</button></div>`, state);
    } finally {
      if (request === this.#request) this.removeAttribute('aria-busy');
    }
    this.show();
  }

  show() {
    const shown = this.tickets.length;
    this.querySelector('.count').textContent = this.total === null ? `${shown} shown` : `${shown} of ${this.total} shown`;
    const table = this.querySelector('hd-ticket-table');
    Object.assign(table, { tickets: this.tickets, sort: this.view.sort, selected: this.selected, selectable: can('ticket.bulk'),
      density: listDensity(), columns: visibleColumns() });
    this.nameRequester();
    table.hidden = shown === 0;
    table.update();
    this.querySelector('.load-more').hidden = !this.nextCursor;
    const bar = this.querySelector('hd-bulk-bar');
    Object.assign(bar, { count: this.allMatching ? this.total : this.selected.size, allMatching: this.allMatching, total: this.total });
    bar.update();
    const pageSelected = shown > 0 && this.tickets.every((ticket) => this.selected.has(ticket.id));
    const offer = can('ticket.bulk') && pageSelected && (this.nextCursor || this.allMatching);
    const matching = this.querySelector('.select-matching');
    matching.hidden = !offer;
    if (offer) render(selectMatchingOffer(this.allMatching, shown, this.total), matching);
  }

  async bulk(detail) {
    if (!detail.delete && Object.keys(detail.change).length === 0) return announce('Choose a change to apply first.', 'error');
    const count = this.allMatching ? (this.total ?? 'all matching') : this.selected.size;
    if (!(await confirmAction(bulkConfirmation(detail, count)))) return;
    const target = this.allMatching ? { filter: bulkFilter(this.view) } : { ids: [...this.selected] };
    const before = this.allMatching ? [] : this.tickets.filter((ticket) => this.selected.has(ticket.id));
    if (!(await applyBulk(detail, target, before))) return;
    this.selected = new Set();
    this.allMatching = false;
    this.load();
  }

  /** The requester chip says who, once a row of theirs is on the page. */
  nameRequester() {
    const id = Number(this.view.filter.requester);
    const filters = this.querySelector('hd-ticket-filters');
    const person = id ? this.tickets.find((ticket) => ticket.requester.id === id)?.requester : null;
    const name = person ? person.name || person.email : null;
    if (filters.requesterName !== name) { filters.requesterName = name; filters.update(); }
  }

  handleEvent(event) {
    const { type, detail } = event;
    if (type === 'keydown') { listKey(event, this); return; }
    if (type === 'layout-change') { this.show(); return; }
    if (type === 'bulk-undone') { this.load(); return; }
    if (type === 'filter-change') this.go({ ...this.view, filter: detail });
    else if (type === 'sort-change') this.go({ ...this.view, sort: detail.sort });
    else if (type === 'filter-requester') this.go({ ...this.view, filter: { ...this.view.filter, requester: detail.id } });
    else if (type === 'selection-change') { this.selected = detail.ids; this.allMatching = false; this.show(); }
    else if (type === 'bulk-clear') { this.selected = new Set(); this.allMatching = false; this.show(); }
    else if (type === 'bulk-apply') this.bulk(detail);
    else if (type === 'click') this.click(event.target.closest('[data-action]')?.dataset.action);
  }

  click(action) {
    if (action === 'skip') (this.querySelector('hd-ticket-table td.ref a') || this.querySelector('.list-state a, .list-state button'))?.focus();
    else if (action === 'more') this.load({ more: true });
    else if (action === 'retry') this.load();
    else if (action === 'refresh') { this.#live.showFresh(0); this.load(); }
    else if (action === 'all-matching') { this.allMatching = true; this.show(); }
    else if (action === 'page-only') { this.allMatching = false; this.show(); }
  }
}

export function define() {
  definePresets();
  defineFilters();
  defineTable();
  defineBulkBar();
  defineTools();
  if (!customElements.get('hd-ticket-list')) customElements.define('hd-ticket-list', TicketList);
}
