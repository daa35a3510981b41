import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';
import { announce } from '../app/controls.js';
import { viewFromSearch, searchFromView, apiSearch, bulkFilter, PRESETS } from '../app/ticket-query.js';
import { define as defineFilters } from './hd-ticket-filters.js';
import { define as defineTable } from './hd-ticket-table.js';
import { define as defineBulkBar } from './hd-bulk-bar.js';
import { confirmAction } from './hd-confirm.js';
import { followBoard } from '../app/board-feed.js';

/** The ticket list page: presets, filters, sorting, cursor pages, selection, bulk changes, export. */
export class TicketList extends HTMLElement {
  view = viewFromSearch();
  tickets = [];
  selected = new Set();
  allMatching = false;
  nextCursor = null;
  total = null;
  #request = 0;
  #fresh = 0;
  #stopFeed = null;

  connectedCallback() {
    render(html`
      <section class="page" aria-labelledby="list-title">
        <header class="page-head">
          <h1 id="list-title">Tickets</h1>
          <p class="count muted" aria-live="polite"></p>
          <div class="page-actions">
            ${can('ticket.export') ? html`<a class="button" data-export download="tickets.csv" href="/api/tickets/export.csv">Export CSV</a>` : ''}
          </div>
        </header>
        <nav class="presets" aria-label="Presets"></nav>
        <div class="search-chip"></div>
        <hd-ticket-filters></hd-ticket-filters>
        <div class="new-bar" role="status" aria-live="polite" hidden></div>
        <hd-bulk-bar hidden></hd-bulk-bar>
        <p class="select-matching" hidden></p>
        <div class="list-state" role="status"></div>
        <hd-ticket-table></hd-ticket-table>
        <div class="load-more" hidden><button type="button" class="button" data-action="more">Load more</button></div>
      </section>`, this);
    for (const type of ['filter-change', 'sort-change', 'selection-change', 'filter-requester', 'bulk-apply', 'bulk-clear', 'click']) {
      this.addEventListener(type, this);
    }
    this.#stopFeed = followBoard({
      created: () => this.showFresh(this.#fresh + 1),
      resync: () => this.showFresh(this.#fresh, true),
      updated: (ticket) => this.replace(ticket),
      deleted: (id) => this.replace(this.tickets.find((ticket) => ticket.id === id), 'deleted'),
      viewing: () => this.querySelector('hd-ticket-table').showPresence(),
    });
    this.routeChanged();
  }

  /** A live change to a shown ticket: its row changes in place (nothing moves under the cursor). */
  replace(ticket, note) {
    if (!ticket || !this.tickets.some((known) => known.id === ticket.id)) return;
    this.tickets = this.tickets.map((known) => (known.id === ticket.id ? ticket : known));
    this.querySelector('hd-ticket-table').updateRow(ticket, note);
  }

  /** "N new tickets" (or "out of date") with a button that reloads the view. */
  showFresh(count, stale = false) {
    this.#fresh = count;
    const bar = this.querySelector('.new-bar');
    bar.hidden = count === 0 && !stale;
    render(html`<span>${stale ? 'Changes were missed while offline.' : `${count} new ${count === 1 ? 'ticket' : 'tickets'} since you loaded this list.`}</span>
      <button type="button" class="button" data-action="refresh">Show ${stale ? 'the current list' : 'them'}</button>`, bar);
  }

  disconnectedCallback() {
    this.#stopFeed?.();
    for (const type of ['filter-change', 'sort-change', 'selection-change', 'filter-requester', 'bulk-apply', 'bulk-clear', 'click']) {
      this.removeEventListener(type, this);
    }
  }

  /** Reads the view from the address and loads its first page. */
  routeChanged() {
    this.view = viewFromSearch();
    this.selected = new Set();
    this.allMatching = false;
    const { filter } = this.view;
    render(PRESETS.map((preset) => html`<a href="/tickets${preset.id ? `?preset=${preset.id}` : ''}"
      ${(filter.preset || '') === preset.id ? html`aria-current="page"` : ''}>${preset.name}</a>`), this.querySelector('.presets'));
    render(filter.q ? html`<p>Results for <strong>“${filter.q}”</strong>
      <a href="/tickets?${searchFromView({ ...this.view, filter: { ...filter, q: '' } })}">Clear search</a></p>` : '',
    this.querySelector('.search-chip'));
    this.querySelector('hd-ticket-filters').filter = filter;
    const exportLink = this.querySelector('[data-export]');
    if (exportLink) exportLink.href = `/api/tickets/export.csv?${searchFromView(this.view)}`;
    this.showFresh(0);
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
      const page = await api(`/api/tickets?${apiSearch(this.view, { cursor: more ? this.nextCursor : null })}`);
      if (request !== this.#request) return;
      this.tickets = more ? [...this.tickets, ...page.tickets] : page.tickets;
      this.nextCursor = page.nextCursor;
      this.total = page.total;
      render(this.tickets.length ? '' : html`<div class="empty-state"><h2>No tickets match this view</h2>
        <p>Try another preset or <a href="/tickets">clear every filter</a>.</p></div>`, state);
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
    Object.assign(table, { tickets: this.tickets, sort: this.view.sort, selected: this.selected, selectable: can('ticket.bulk') });
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
    if (offer) {
      render(this.allMatching
        ? html`Every ticket matching this view is selected. <button type="button" class="link-button" data-action="page-only">Select only this page</button>`
        : html`All ${shown} tickets on this page are selected. <button type="button" class="link-button" data-action="all-matching">Select all ${this.total ?? ''} matching tickets</button>`,
      matching);
    }
  }

  async bulk(detail) {
    if (!detail.delete && Object.keys(detail.change).length === 0) return announce('Choose a change to apply first.', 'error');
    const count = this.allMatching ? (this.total ?? 'all matching') : this.selected.size;
    const noun = count === 1 ? 'ticket' : 'tickets';
    const confirmed = await confirmAction(detail.delete
      ? { title: `Delete ${count} ${noun}?`, message: 'Deleted tickets and their conversations cannot be restored.', confirmLabel: 'Delete', danger: true }
      : { title: `Change ${count} ${noun}?`, message: `This will ${detail.words.join(', ')}.`, confirmLabel: 'Apply change' });
    if (!confirmed) return;
    const target = this.allMatching ? { filter: bulkFilter(this.view) } : { ids: [...this.selected] };
    try {
      const result = await api('/api/tickets/bulk', { method: 'POST', body: detail.delete ? { ...target, delete: true } : { ...target, change: detail.change } });
      const done = detail.delete ? `Deleted ${result.deleted.length}` : `Updated ${result.updated.length}`;
      announce(`${done} ${result.deleted.length + result.updated.length === 1 ? 'ticket' : 'tickets'}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}.`);
      this.selected = new Set();
      this.allMatching = false;
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const { type, detail } = event;
    if (type === 'filter-change') this.go({ ...this.view, filter: detail });
    else if (type === 'sort-change') this.go({ ...this.view, sort: detail.sort });
    else if (type === 'filter-requester') this.go({ ...this.view, filter: { ...this.view.filter, requester: detail.id } });
    else if (type === 'selection-change') { this.selected = detail.ids; this.allMatching = false; this.show(); }
    else if (type === 'bulk-clear') { this.selected = new Set(); this.allMatching = false; this.show(); }
    else if (type === 'bulk-apply') this.bulk(detail);
    else if (type === 'click') this.click(event.target.closest('[data-action]')?.dataset.action);
  }

  click(action) {
    if (action === 'more') this.load({ more: true });
    else if (action === 'retry') this.load();
    else if (action === 'refresh') { this.showFresh(0); this.load(); }
    else if (action === 'all-matching') { this.allMatching = true; this.show(); }
    else if (action === 'page-only') { this.allMatching = false; this.show(); }
  }
}

export function define() {
  defineFilters();
  defineTable();
  defineBulkBar();
  if (!customElements.get('hd-ticket-list')) customElements.define('hd-ticket-list', TicketList);
}
