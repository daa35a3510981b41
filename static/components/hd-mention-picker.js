import { html, render } from '../app/html.js';
import { store } from '../app/store.js';

/** Suggestions shown at most; typing more letters narrows them. */
const SHOWN = 6;

/** The `@word` being typed right before the cursor of `box`, or null. */
export function mentionAt(box) {
  const before = box.value.slice(0, box.selectionStart);
  // One or two words: "@ale" and "@alex ag" both narrow to Alex Agent.
  const match = /(^|\s)@([\p{L}\p{N}._-]{0,30}(?: [\p{L}\p{N}._-]{0,30})?)$/u.exec(before);
  return match ? { start: before.length - match[2].length - 1, word: match[2] } : null;
}

/**
 * @mentions in internal notes: while `enabled`, typing `@` and letters in `.textarea`
 * lists the matching active agents (a listbox under the box: arrow keys, Enter to insert,
 * Escape to close, click). The chosen agent goes in as `@Full Name`, which the server
 * recognises and notifies.
 */
export class MentionPicker extends HTMLElement {
  enabled = false;
  #box = null;
  #matches = [];
  #active = 0;
  #onInput = () => this.suggest();
  #onKey = (event) => this.key(event);

  set textarea(box) {
    this.#box?.removeEventListener('input', this.#onInput);
    this.#box?.removeEventListener('keydown', this.#onKey);
    this.#box = box;
    box.addEventListener('input', this.#onInput);
    box.addEventListener('keydown', this.#onKey);
  }

  connectedCallback() { this.addEventListener('mousedown', this); }

  disconnectedCallback() {
    this.removeEventListener('mousedown', this);
    this.#box?.removeEventListener('input', this.#onInput);
    this.#box?.removeEventListener('keydown', this.#onKey);
  }

  suggest() {
    const at = this.enabled ? mentionAt(this.#box) : null;
    const word = at?.word.toLowerCase();
    this.#matches = at ? store.state.agents.filter((agent) => agent.active
      && (agent.name.toLowerCase().startsWith(word) || agent.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(word))
        || agent.email.toLowerCase().startsWith(word))).slice(0, SHOWN) : [];
    this.#active = 0;
    this.show();
  }

  show() {
    this.hidden = this.#matches.length === 0;
    render(this.hidden ? '' : html`<ul id="mention-options" role="listbox" aria-label="Mention a colleague" class="mention-options popover">
      ${this.#matches.map((agent, i) => html`<li role="option" id="mention-${agent.id}" data-agent="${agent.id}" aria-selected="${i === this.#active}">${agent.name} <span class="muted">${agent.email}</span></li>`)}</ul>`, this);
    if (this.hidden) this.#box.removeAttribute('aria-activedescendant');
    else this.#box.setAttribute('aria-activedescendant', `mention-${this.#matches[this.#active].id}`);
  }

  key(event) {
    if (this.hidden || this.#matches.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.#active = (this.#active + (event.key === 'ArrowDown' ? 1 : -1) + this.#matches.length) % this.#matches.length;
      this.show();
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.insert(this.#matches[this.#active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.#matches = [];
      this.show();
    }
  }

  insert(agent) {
    const box = this.#box;
    const at = mentionAt(box);
    if (!at) return;
    const text = `@${agent.name} `;
    box.setRangeText(text, at.start, box.selectionStart, 'end');
    box.dispatchEvent(new Event('input', { bubbles: true }));
    this.#matches = [];
    this.show();
    box.focus();
  }

  handleEvent(event) {
    const id = Number(event.target.closest('[data-agent]')?.dataset.agent);
    const agent = this.#matches.find((candidate) => candidate.id === id);
    if (!agent) return;
    event.preventDefault();
    this.insert(agent);
  }
}

export function define() {
  if (!customElements.get('hd-mention-picker')) customElements.define('hd-mention-picker', MentionPicker);
}
