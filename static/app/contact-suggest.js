// Requester suggestions while an agent types a name or email: asks GET /api/contacts?q=
// (a prefix of the name or email) after a short pause and fills a <datalist> whose
// options are the contacts' emails, labelled with their names.
import { html, render } from './html.js';
import { api } from './api.js';

const PAUSE_MS = 200;
const LIMIT = 8;

export class ContactSuggest {
  #list;
  #onMatch;
  #contacts = [];
  #timer = 0;

  /** Fills `datalist`; `onMatch(contact)` runs when the typed text is a suggested email. */
  constructor(datalist, onMatch = () => {}) {
    this.#list = datalist;
    this.#onMatch = onMatch;
  }

  /** The agent typed `text`: suggests after a pause (from two characters on). */
  typed(text) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#suggest(text.trim()), PAUSE_MS);
  }

  /** The suggested contact with this email (case-insensitive), or undefined. */
  find(email) {
    const wanted = email.trim().toLowerCase();
    return wanted ? this.#contacts.find((contact) => contact.email.toLowerCase() === wanted) : undefined;
  }

  /** Cancels a pending look-up (on the owner's disconnect). */
  stop() { clearTimeout(this.#timer); }

  async #suggest(text) {
    if (text.length < 2) return;
    const { contacts } = await api(`/api/contacts?q=${encodeURIComponent(text)}&limit=${LIMIT}`).catch(() => ({ contacts: [] }));
    this.#contacts = contacts;
    render(contacts.map((contact) => html`<option value="${contact.email}">${contact.name}</option>`), this.#list);
    const match = contacts.find((contact) => contact.email === text);
    if (match) this.#onMatch(match);
  }
}
