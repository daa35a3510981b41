import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';
import { STATUSES } from '../app/format.js';
import { myId } from '../app/live.js';
import { followBoard } from '../app/board-feed.js';
import { parseQuery, apiParams, matches, boardUrl } from '../app/board-query.js';
import { BoardColumns } from '../app/board-columns.js';
import { BoardMoves } from '../app/board-moves.js';

const PAGE = 25;

/**
 * The Kanban board at /board: a column per status, loaded through the list API with
 * "load more"; a token search kept in `?q=`; moves by drag and drop or the keyboard
 * (optimistic, rolled back when refused); live through the board room; `?wall=1` for a
 * large screen.
 */
export class Board extends HTMLElement {
  query = parseQuery('');
  columns = new BoardColumns(this);
  moves = new BoardMoves(this);
  #stop = null;

  connectedCallback() {
    render(html`<section class="page board-page" aria-labelledby="board-title">
      <header class="page-head board-head">
        <a class="help-link" href="/help/kanban-board" aria-label="User guide for this screen" title="User guide for this screen">?</a><h1 id="board-title">Board</h1>
        <form class="board-search" role="search" data-form="board-search">
          <label class="visually-hidden" for="board-q">Filter the board</label>
          <input id="board-q" name="q" type="search" autocomplete="off" aria-describedby="board-q-hint"
            placeholder="priority:urgent category:billing agent:me text">
          <button type="submit" class="button">Filter</button>
          <p class="hint" id="board-q-hint">Tokens: priority:, category:, channel:, agent:me or agent:name, plus any words.</p>
        </form>
        <div class="page-actions"><a class="button wall-toggle" data-wall href="/board?wall=1">Wall mode</a></div>
      </header>
      <p class="board-problems field-error" role="alert" hidden></p>
      <div class="board-message" role="status" aria-live="polite"></div>
      <div class="board-columns">${STATUSES.map(([status, text]) => html`
        <section class="board-column" data-status="${status}" aria-labelledby="col-${status}">
          <h2 id="col-${status}" class="column-title">${text} <span class="column-count"></span></h2>
          <ol class="column-cards" data-drop="${status}" aria-label="${text} tickets"></ol>
          <button type="button" class="button subtle column-more" data-more="${status}" hidden>Load more</button>
        </section>`)}</div>
    </section>`, this);
    this.addEventListener('submit', this);
    this.addEventListener('click', this);
    document.addEventListener('keydown', this);
    this.moves.start();
    this.#stop = followBoard({
      created: (ticket) => this.live(ticket),
      updated: (ticket) => this.live(ticket),
      sla: (ticket) => this.liveSla(ticket),
      deleted: (id) => this.columns.remove(id),
      resync: () => this.load(),
      viewing: () => this.columns.showPresence(),
    });
    this.routeChanged();
  }

  disconnectedCallback() {
    this.#stop?.();
    this.moves.stop();
    this.removeEventListener('submit', this);
    this.removeEventListener('click', this);
    document.removeEventListener('keydown', this);
    document.documentElement.classList.remove('wall');
  }

  /** Reads `?q=` and `?wall=` and loads the columns. */
  routeChanged() {
    const params = new URLSearchParams(location.search);
    const text = params.get('q') || '';
    const wall = params.get('wall') === '1';
    document.documentElement.classList.toggle('wall', wall);
    const link = this.querySelector('[data-wall]');
    link.textContent = wall ? 'Leave wall mode' : 'Wall mode';
    link.href = boardUrl(text, !wall);
    this.querySelector('#board-q').value = text;
    this.query = parseQuery(text, store.state.agents);
    const problems = this.querySelector('.board-problems');
    problems.hidden = this.query.problems.length === 0;
    problems.textContent = this.query.problems.join(' ');
    this.load();
  }

  /** Loads the first page of every column. */
  load() {
    this.columns.clear();
    STATUSES.forEach(([status]) => this.loadColumn(status));
  }

  async loadColumn(status, cursor = null) {
    const params = apiParams(this.query);
    params.set('status', status);
    params.set('limit', String(PAGE));
    if (cursor) params.set('cursor', cursor);
    const { generation } = this.columns;
    try {
      const page = await api(`/api/tickets?${params}`);
      if (generation === this.columns.generation) this.columns.add(status, page.tickets, page.nextCursor, page.total);
    } catch (error) {
      this.say(`The ${status.replace('_', ' ')} column could not be loaded: ${error.message}`, true);
    }
  }

  /** A live ticket: placed in its column when it matches the filter, removed otherwise. */
  live(ticket) {
    const known = this.columns.find(ticket.id);
    if (known && ticket.version <= known.version) return;
    if (matches(ticket, this.query, myId())) this.columns.place(ticket);
    else this.columns.remove(ticket.id);
  }

  /** An SLA warning or breach: the card's SLA changes even when its version did not. */
  liveSla(ticket) {
    const known = this.columns.find(ticket.id);
    if (known && ticket.version <= known.version) this.columns.place({ ...known, sla: ticket.sla });
    else this.live(ticket);
  }

  /** Shows a status line (an alert when `problem`). */
  say(text, problem = false) {
    const slot = this.querySelector('.board-message');
    slot.setAttribute('role', problem ? 'alert' : 'status');
    slot.className = `board-message${problem ? ' problem' : ''}`;
    slot.textContent = text;
  }

  handleEvent(event) {
    if (event.type === 'submit' && event.target.dataset.form === 'board-search') {
      event.preventDefault();
      const wall = document.documentElement.classList.contains('wall');
      navigate(boardUrl(event.target.elements.q.value.trim(), wall));
    } else if (event.type === 'click' && event.target.closest('[data-more]')) {
      const status = event.target.closest('[data-more]').dataset.more;
      this.loadColumn(status, this.columns.cursor(status));
    } else if (event.type === 'keydown' && event.key === 'Escape' && document.documentElement.classList.contains('wall')
      && !event.target.closest('input, .move-menu')) {
      navigate(boardUrl(this.querySelector('#board-q').value.trim(), false));
    }
  }
}

export function define() {
  if (!customElements.get('hd-board')) customElements.define('hd-board', Board);
}
