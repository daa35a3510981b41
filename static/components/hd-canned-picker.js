import { html, render } from '../app/html.js';
import { api, query } from '../app/api.js';
import { announce } from '../app/controls.js';

const DEBOUNCE_MS = 200;

/**
 * Canned responses for the composer: a button, the shortcuts `/` in an empty box and
 * Ctrl+Shift+C, and a searchable listbox (arrow keys, Enter, Escape, click). The chosen
 * response is rendered for the ticket (`POST /api/canned-responses/:id/render`) and
 * inserted at the cursor of `.textarea`. Data down: `.textarea`, `.ticketId`.
 */
export class CannedPicker extends HTMLElement {
  textarea = null;
  ticketId = null;
  #results = [];
  #active = 0;
  #timer = null;
  #request = 0;
  #selection = [0, 0];
  #onKey = (event) => this.#shortcut(event);

  connectedCallback() {
    render(html`
      <button type="button" class="button" data-open aria-haspopup="listbox" aria-expanded="false">Canned response</button>
      <span class="muted canned-hint">or type <kbd>/</kbd> in an empty box, <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd></span>
      <div class="canned-panel popover" hidden>
        <label for="canned-search">Search canned responses</label>
        <input id="canned-search" type="search" role="combobox" autocomplete="off" aria-autocomplete="list"
          aria-expanded="true" aria-controls="canned-results">
        <ul id="canned-results" role="listbox" aria-label="Canned responses" class="canned-results"></ul>
        <p class="muted canned-status" role="status" aria-live="polite"></p>
      </div>`, this);
    for (const type of ['click', 'input', 'keydown']) this.addEventListener(type, this);
    this.textarea?.addEventListener('keydown', this.#onKey);
  }

  disconnectedCallback() {
    for (const type of ['click', 'input', 'keydown']) this.removeEventListener(type, this);
    this.textarea?.removeEventListener('keydown', this.#onKey);
    clearTimeout(this.#timer);
  }

  get isOpen() { return !this.querySelector('.canned-panel').hidden; }

  open() {
    const box = this.textarea;
    if (box) this.#selection = [box.selectionStart, box.selectionEnd];
    this.querySelector('.canned-panel').hidden = false;
    this.querySelector('[data-open]').setAttribute('aria-expanded', 'true');
    const input = this.querySelector('#canned-search');
    input.value = '';
    input.focus();
    this.search('');
  }

  close({ focusBox = true } = {}) {
    this.querySelector('.canned-panel').hidden = true;
    this.querySelector('[data-open]').setAttribute('aria-expanded', 'false');
    clearTimeout(this.#timer);
    if (focusBox) this.textarea?.focus();
  }

  async search(text) {
    const request = ++this.#request;
    const status = this.querySelector('.canned-status');
    try {
      const answer = await api(`/api/canned-responses${query({ q: text.trim(), limit: 10 })}`);
      if (request !== this.#request) return;
      this.#results = answer.cannedResponses;
      this.#active = 0;
      this.showResults();
      status.textContent = this.#results.length ? `${this.#results.length} responses` : 'No canned response matches.';
    } catch (error) {
      status.textContent = error.message;
    }
  }

  showResults() {
    const input = this.querySelector('#canned-search');
    render(this.#results.map((item, index) => html`
      <li id="canned-option-${item.id}" role="option" data-index="${index}" aria-selected="${index === this.#active}">
        <strong>${item.title}</strong> <span class="muted">${item.body.slice(0, 80)}</span></li>`),
    this.querySelector('.canned-results'));
    const active = this.#results[this.#active];
    if (active) input.setAttribute('aria-activedescendant', `canned-option-${active.id}`);
    else input.removeAttribute('aria-activedescendant');
    this.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  async choose(index) {
    const item = this.#results[index];
    if (!item) return;
    try {
      const rendered = await api(`/api/canned-responses/${item.id}/render`, { method: 'POST', body: { ticketId: this.ticketId ?? this.closest('hd-composer')?.ticketId } });
      this.close();
      this.insert(rendered.body);
      announce(`Inserted “${item.title}”.`);
      if (rendered.unknownPlaceholders?.length) announce(`Left as written: ${rendered.unknownPlaceholders.join(', ')}`, 'error');
    } catch (error) {
      this.querySelector('.canned-status').textContent = error.message;
    }
  }

  /** Puts `text` where the cursor was when the picker opened, and tells the composer. */
  insert(text) {
    const box = this.textarea;
    const [start, end] = this.#selection;
    box.focus();
    box.setRangeText(text, Math.min(start, box.value.length), Math.min(end, box.value.length), 'end');
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }

  #shortcut(event) {
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && this.textarea.value === '';
    const chord = event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'c';
    if (!slash && !chord) return;
    event.preventDefault();
    this.open();
  }

  #move(delta) {
    if (!this.#results.length) return;
    this.#active = (this.#active + delta + this.#results.length) % this.#results.length;
    this.showResults();
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'click' && target.closest('[data-open]')) this.isOpen ? this.close() : this.open();
    else if (type === 'click' && target.closest('[role=option]')) this.choose(Number(target.closest('[role=option]').dataset.index));
    else if (type === 'input' && target.id === 'canned-search') {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.search(target.value), DEBOUNCE_MS);
    } else if (type === 'keydown' && target.id === 'canned-search') this.#key(event);
  }

  #key(event) {
    const keys = { ArrowDown: () => this.#move(1), ArrowUp: () => this.#move(-1),
      Enter: () => this.choose(this.#active), Escape: () => this.close() };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }
}

export function define() {
  if (!customElements.get('hd-canned-picker')) customElements.define('hd-canned-picker', CannedPicker);
}
