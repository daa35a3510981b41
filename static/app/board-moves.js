// Moving board cards: HTML5 drag and drop between columns, a Move menu and
// Shift+ArrowLeft/Right on a focused card. A move is a PATCH of the status with the
// card's version, shown at once and rolled back with a message when the server refuses.
import { api } from './api.js';
import { STATUSES, label } from './format.js';
import { offerUndo } from './undo.js';

const ORDER = STATUSES.map(([status]) => status);
const EVENTS = ['dragstart', 'dragend', 'dragover', 'dragleave', 'drop', 'click', 'keydown'];

export class BoardMoves {
  #board;

  /** Handles moves on `board` (which offers `columns` and `say`). */
  constructor(board) { this.#board = board; }

  start() { EVENTS.forEach((type) => this.#board.addEventListener(type, this)); }

  stop() { EVENTS.forEach((type) => this.#board.removeEventListener(type, this)); }

  /** Moves ticket `id` to `status`: optimistic, then saved (with an Undo offer) or rolled back. */
  async move(id, status, { undoable = true } = {}) {
    const { columns } = this.#board;
    const before = columns.find(id);
    if (!before || before.status === status) return;
    columns.menuFor = null;
    columns.pending.add(id);
    columns.place({ ...before, status, boardAt: new Date().toISOString() });
    this.#board.say(`Moving ${before.reference} to ${label(status)}…`);
    try {
      const saved = await api(`/api/tickets/${id}`, { method: 'PATCH', body: { version: before.version, status } });
      columns.pending.delete(id);
      const shown = columns.find(id);
      columns.place(shown && shown.version > saved.version ? shown : saved);
      this.#board.say(`${before.reference} moved to ${label(status)}.`);
      if (undoable) offerUndo(`${before.reference} moved to ${label(status)}.`, () => this.move(id, before.status, { undoable: false }));
    } catch (error) {
      columns.pending.delete(id);
      const shown = columns.find(id);
      // Roll back unless a newer version arrived live meanwhile (then that one stands).
      if (!shown || shown.version === before.version) columns.place(before);
      else columns.place(shown);
      const why = error.status === 409 ? 'someone else changed it first; the board shows the current state'
        : error.message;
      this.#board.say(`Could not move ${before.reference} to ${label(status)}: ${why}`, true);
    }
  }

  handleEvent(event) {
    const cardEl = event.target.closest?.('.board-card');
    const zone = event.target.closest?.('[data-drop]');
    switch (event.type) {
      case 'dragstart':
        if (!cardEl) return;
        event.dataTransfer.setData('text/plain', cardEl.dataset.ticketId);
        event.dataTransfer.effectAllowed = 'move';
        cardEl.classList.add('dragging');
        return;
      case 'dragend':
        cardEl?.classList.remove('dragging');
        return;
      case 'dragover':
        if (!zone) return;
        event.preventDefault();
        zone.classList.add('drop-target');
        return;
      case 'dragleave':
        if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove('drop-target');
        return;
      case 'drop':
        if (!zone) return;
        event.preventDefault();
        zone.classList.remove('drop-target');
        this.move(Number(event.dataTransfer.getData('text/plain')), zone.dataset.drop);
        return;
      case 'click': return this.#click(event);
      case 'keydown': return this.#key(event, cardEl);
      default:
    }
  }

  #click(event) {
    const { columns } = this.#board;
    const to = event.target.closest('[data-move-to]');
    const opener = event.target.closest('[data-move]');
    if (to) {
      this.move(Number(to.dataset.ticket), to.dataset.moveTo);
    } else if (opener) {
      const id = Number(opener.dataset.move);
      const previous = columns.menuFor;
      columns.menuFor = previous === id ? null : id;
      this.#rerender(previous, id);
      if (columns.menuFor) this.#board.querySelector(`.board-card[data-ticket-id="${id}"] [data-move-to]`)?.focus();
    }
  }

  #key(event, cardEl) {
    if (!cardEl) return;
    const id = Number(cardEl.dataset.ticketId);
    const ticket = this.#board.columns.find(id);
    if (event.key === 'Escape' && this.#board.columns.menuFor === id) {
      event.preventDefault();
      this.#board.columns.menuFor = null;
      this.#rerender(id);
      this.#board.querySelector(`.board-card[data-ticket-id="${id}"]`)?.focus();
    } else if (event.shiftKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft') && event.target === cardEl && ticket) {
      event.preventDefault();
      const next = ORDER[ORDER.indexOf(ticket.status) + (event.key === 'ArrowRight' ? 1 : -1)];
      if (next) this.move(id, next).then(() => this.#board.querySelector(`.board-card[data-ticket-id="${id}"]`)?.focus());
    }
  }

  #rerender(...ids) {
    const { columns } = this.#board;
    new Set(ids.filter(Boolean).map((id) => columns.find(id)?.status)).forEach((status) => status && columns.render(status));
  }
}
