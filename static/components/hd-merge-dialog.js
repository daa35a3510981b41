import { html, render } from '../app/html.js';
import { findTickets } from '../app/ticket-lookup.js';
import { label } from '../app/format.js';

const DEBOUNCE_MS = 250;

/**
 * "Merge…": a modal <dialog> (focus trapped, Escape cancels, focus returns to the opener)
 * to pick duplicate tickets by reference, requester or words (the search box's search) and confirm what
 * the merge does. Resolves `open(primary)` with the chosen tickets or null.
 */
export class MergeDialog extends HTMLElement {
  primary = null;
  #found = [];
  #chosen = new Map();
  #timer = null;
  #resolve = null;

  open(primary) {
    this.primary = primary;
    render(html`<dialog class="dialog merge-dialog" aria-labelledby="merge-title" aria-describedby="merge-explain">
      <form method="dialog">
        <h2 id="merge-title">Merge tickets into ${primary.reference}</h2>
        <p id="merge-explain">Pick the duplicates. Each one is closed and marked as merged into <strong>${primary.reference}</strong>;
          its replies and notes move here in time order, with their attachments, watchers and tags. This cannot be undone.</p>
        <label for="merge-search">Find tickets by reference, requester or words</label>
        <input id="merge-search" type="search" autocomplete="off" aria-controls="merge-results">
        <fieldset><legend>Matching tickets</legend><ul id="merge-results" class="merge-results"></ul></fieldset>
        <p class="merge-summary" role="status" aria-live="polite"></p>
        <div class="dialog-actions">
          <button type="submit" value="cancel" class="button">Cancel</button>
          <button type="submit" value="merge" class="button danger merge-confirm" disabled>Merge</button>
        </div>
      </form></dialog>`, this);
    const dialog = this.querySelector('dialog');
    for (const type of ['close', 'input', 'change']) dialog.addEventListener(type, this);
    dialog.showModal();
    this.querySelector('#merge-search').focus();
    this.search('');
    return new Promise((resolve) => { this.#resolve = resolve; });
  }

  async search(text) {
    try {
      this.#found = (await findTickets(text)).filter((ticket) => ticket.id !== this.primary.id && !ticket.mergedIntoId);
    } catch (error) {
      this.#found = [];
      this.querySelector('.merge-summary').textContent = error.message;
    }
    render(this.#found.length ? this.#found.map((ticket) => html`<li><label>
      <input type="checkbox" value="${ticket.id}" ${this.#chosen.has(ticket.id) ? html`checked` : ''}>
      <span class="ref">${ticket.reference}</span> ${ticket.subject} <span class="muted">(${label(ticket.status)}, ${ticket.requester?.name || ticket.requester?.email || ''})</span>
      </label></li>`) : html`<li class="muted">No other tickets match.</li>`, this.querySelector('#merge-results'));
  }

  summarize() {
    const chosen = [...this.#chosen.values()];
    const button = this.querySelector('.merge-confirm');
    button.disabled = chosen.length === 0;
    const refs = chosen.map((ticket) => ticket.reference).join(', ');
    button.textContent = chosen.length ? `Merge ${chosen.length} into ${this.primary.reference}` : 'Merge';
    this.querySelector('.merge-summary').textContent = chosen.length
      ? `${refs} will be closed and merged into ${this.primary.reference}.` : 'No ticket chosen yet.';
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'input' && target.id === 'merge-search') {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.search(target.value), DEBOUNCE_MS);
    } else if (type === 'change' && target.type === 'checkbox') {
      const ticket = this.#found.find((candidate) => candidate.id === Number(target.value));
      if (target.checked) this.#chosen.set(ticket.id, ticket);
      else this.#chosen.delete(ticket.id);
      this.summarize();
    } else if (type === 'close') {
      const dialog = event.currentTarget;
      for (const name of ['close', 'input', 'change']) dialog.removeEventListener(name, this);
      clearTimeout(this.#timer);
      this.#resolve?.(dialog.returnValue === 'merge' ? [...this.#chosen.values()] : null);
      this.#resolve = null;
      this.remove();
    }
  }
}

export function define() {
  if (!customElements.get('hd-merge-dialog')) customElements.define('hd-merge-dialog', MergeDialog);
}

/** Opens the merge dialog for `primary`; resolves the chosen secondaries, or null. */
export function chooseDuplicates(primary) {
  define();
  const element = document.createElement('hd-merge-dialog');
  document.body.append(element);
  return element.open(primary);
}
