import { html, render } from '../app/html.js';
import { searchTickets } from '../app/ticket-lookup.js';
import { navigate } from '../app/router.js';
import { label } from '../app/format.js';

const DEBOUNCE_MS = 120;

/**
 * The top bar's search box (a combobox, WAI-ARIA 1.2): results appear as the agent types
 * (GET /api/search: reference, requester name or email, words). Arrow keys move through
 * the options, Enter opens the highlighted one; Enter on a reference that exists
 * (TKT-289, 289, #289) opens that ticket; otherwise Enter lists every match on /tickets.
 * Escape closes the list. Answers that arrive after newer typing are dropped.
 */
export class GlobalSearch extends HTMLElement {
  #timer = null;
  #asked = 0;
  #result = null;
  #options = [];
  #active = -1;

  connectedCallback() {
    render(html`<form class="global-search" role="search" data-form="search">
      <label class="visually-hidden" for="global-search">Search tickets</label>
      <input id="global-search" name="q" type="search" placeholder="TKT-123, a name, words…"
        aria-keyshortcuts="/" autocomplete="off" role="combobox" aria-autocomplete="list" aria-expanded="false"
        aria-controls="global-search-results">
      <ul id="global-search-results" class="search-results popover" role="listbox" aria-label="Search results" hidden></ul>
      <p class="visually-hidden" role="status" aria-live="polite"></p>
    </form>`, this);
    for (const type of ['input', 'keydown', 'submit', 'focusout', 'mousedown']) this.addEventListener(type, this);
  }

  disconnectedCallback() {
    for (const type of ['input', 'keydown', 'submit', 'focusout', 'mousedown']) this.removeEventListener(type, this);
    clearTimeout(this.#timer);
  }

  get input() { return this.querySelector('#global-search'); }

  /** Asks for `text`; shows the answer (unless `quiet`) when no newer typing asked again meanwhile. */
  async ask(text, quiet = false) {
    const asked = ++this.#asked;
    if (!text.trim()) { this.#result = null; this.close(); return null; }
    try {
      const result = await searchTickets(text, 8);
      if (asked !== this.#asked) return null;
      this.#result = { text, ...result };
      if (!quiet) this.show();
      return this.#result;
    } catch (error) {
      if (asked === this.#asked) this.querySelector('[role=status]').textContent = error.message;
      return null;
    }
  }

  show() {
    const { text, exact, contacts, tickets } = this.#result;
    this.#options = [
      ...tickets.map((ticket) => ({ href: `/tickets/${ticket.id}`, ticket, exact: exact?.id === ticket.id })),
      ...contacts.map((contact) => ({ href: `/tickets?requester=${contact.id}`, contact })),
      { href: `/tickets?q=${encodeURIComponent(text)}`, all: true },
    ];
    this.#active = exact ? 0 : -1;
    const list = this.querySelector('#global-search-results');
    render(this.#options.map((option, index) => html`<li role="option" id="search-option-${index}" data-index="${index}"
        class="${option.exact ? 'exact' : ''}" aria-selected="${index === this.#active ? 'true' : 'false'}">${this.optionLabel(option, text)}</li>`), list);
    list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
    this.querySelector('[role=status]').textContent = tickets.length
      ? `${tickets.length} ticket${tickets.length === 1 ? '' : 's'} found${exact ? `, ${exact.reference} matches exactly` : ''}.` : 'No tickets found.';
  }

  optionLabel(option, text) {
    if (option.ticket) {
      const { ticket } = option;
      return html`<span class="ref">${ticket.reference}</span> <span class="subject">${ticket.subject}</span>
        <span class="muted">${ticket.requester?.name || ''} · ${label(ticket.status)}</span>${option.exact ? html` <span class="badge">Exact reference</span>` : ''}`;
    }
    if (option.contact) return html`<span class="muted">Requester</span> ${option.contact.name} <span class="muted">&lt;${option.contact.email}&gt;</span>`;
    return html`All results for “${text}”`;
  }

  highlight() {
    this.querySelectorAll('[role=option]').forEach((node, index) => node.setAttribute('aria-selected', String(index === this.#active)));
    if (this.#active >= 0) this.input.setAttribute('aria-activedescendant', `search-option-${this.#active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    // An answer still on its way must not open the list again.
    clearTimeout(this.#timer);
    this.#asked += 1;
    const list = this.querySelector('#global-search-results');
    // Emptied, not only hidden: nothing stale stays in the page for assistive technology.
    if (list) { list.hidden = true; list.replaceChildren(); }
    this.input?.setAttribute('aria-expanded', 'false');
    this.input?.removeAttribute('aria-activedescendant');
    this.#active = -1;
  }

  go(option) {
    this.close();
    this.input.blur();
    navigate(option.href);
  }

  /** Enter: the highlighted option, else the exact reference, else every match. */
  async submit() {
    clearTimeout(this.#timer);
    const text = this.input.value;
    if (!text.trim()) return navigate('/tickets');
    const open = this.querySelector('#global-search-results:not([hidden])');
    if (open && this.#active >= 0 && this.#result?.text === text) return this.go(this.#options[this.#active]);
    const result = this.#result?.text === text ? this.#result : await this.ask(text, true);
    if (result?.exact) return this.go({ href: `/tickets/${result.exact.id}` });
    this.go({ href: `/tickets?q=${encodeURIComponent(text.trim())}` });
  }

  move(step) {
    if (!this.#options.length) return;
    this.#active = (this.#active + step + this.#options.length) % this.#options.length;
    this.highlight();
    this.querySelector(`#search-option-${this.#active}`)?.scrollIntoView({ block: 'nearest' });
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'input') {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.ask(target.value), DEBOUNCE_MS);
    } else if (type === 'submit') {
      event.preventDefault();
      event.stopPropagation();
      this.submit();
    } else if (type === 'keydown' && target === this.input) {
      const expanded = this.input.getAttribute('aria-expanded') === 'true';
      if (event.key === 'ArrowDown' && expanded) { event.preventDefault(); this.move(1); }
      else if (event.key === 'ArrowUp' && expanded) { event.preventDefault(); this.move(-1); }
      else if (event.key === 'Escape' && expanded) { event.preventDefault(); this.close(); }
    } else if (type === 'mousedown') {
      // mousedown, not click: the input's focusout would close the list before a click lands.
      const item = target.closest('[role=option]');
      if (item) { event.preventDefault(); this.go(this.#options[Number(item.dataset.index)]); }
    } else if (type === 'focusout' && !this.contains(event.relatedTarget)) {
      this.close();
    }
  }
}

export function define() {
  if (!customElements.get('hd-global-search')) customElements.define('hd-global-search', GlobalSearch);
}
