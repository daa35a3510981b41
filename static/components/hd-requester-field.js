import { html, render } from '../app/html.js';
import { can } from '../app/store.js';
import { ContactSuggest } from '../app/contact-suggest.js';
import { requesterOf } from '../app/ticket-field-values.js';

/**
 * The ticket's requester inside the properties form: a link listing their tickets and,
 * for agents with `ticket.update`, "Change requester" opening an email field that
 * suggests existing contacts (GET /api/contacts?q=) plus a name for a new contact.
 * `.value` is the requester as shown: the current one, a known contact ({id, name, email})
 * or a new one ({id: null, name, email}); setting it shows that requester and closes the editor.
 * Server errors land at the email field (`requester.email`, or `requesterId` by data-field).
 */
export class RequesterField extends HTMLElement {
  #current = null;
  #suggest = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('input', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('input', this);
    this.#suggest?.stop();
  }

  get value() {
    const email = this.querySelector('#f-requester-email');
    if (!email || email.closest('[hidden]') || !email.value.trim()) return this.#current && requesterOf(this.#current);
    const known = this.#suggest.find(email.value);
    return known ? requesterOf(known) : { id: null, name: this.querySelector('#f-requester-name').value.trim(), email: email.value.trim() };
  }

  set value(requester) {
    this.#current = requester;
    if (this.isConnected) this.update();
  }

  /** True while the agent has the editor open. */
  get editing() { return Boolean(this.querySelector('.requester-editor:not([hidden])')); }

  update() {
    const r = this.#current;
    if (!r) return;
    render(html`<span class="label-text" id="f-requester-label">Requester</span>
      <p class="requester-current"><a href="/tickets?requester=${r.id}">${r.name || r.email}</a><br>
        <span class="muted">${r.email}</span></p>
      ${can('ticket.update') ? html`
        <button type="button" class="link-button" data-action="edit-requester" aria-expanded="false">Change requester</button>
        <div class="requester-editor" hidden>
          <label for="f-requester-email">Requester email</label>
          <input id="f-requester-email" name="requester.email" data-field="requesterId" type="email" list="f-requester-options"
            autocomplete="off" aria-describedby="f-requester-hint">
          <datalist id="f-requester-options"></datalist>
          <label for="f-requester-name">Requester name</label>
          <input id="f-requester-name" name="requester.name" autocomplete="off">
          <p class="hint" id="f-requester-hint">Type to find a contact, or enter a new email and name.</p>
          <button type="button" class="link-button" data-action="keep-requester">Keep the current requester</button>
        </div>` : ''}`, this);
    const name = this.querySelector('#f-requester-name');
    this.#suggest?.stop();
    this.#suggest = name && new ContactSuggest(this.querySelector('#f-requester-options'), (match) => { if (!name.value) name.value = match.name; });
  }

  open(opened) {
    const editor = this.querySelector('.requester-editor');
    editor.hidden = !opened;
    this.querySelector('[data-action="edit-requester"]').setAttribute('aria-expanded', String(opened));
    if (opened) this.querySelector('#f-requester-email').focus();
    else editor.querySelectorAll('input').forEach((input) => { input.value = ''; });
  }

  handleEvent(event) {
    const action = event.target.closest?.('[data-action]')?.dataset.action;
    if (event.type === 'click' && action === 'edit-requester') this.open(!this.editing);
    else if (event.type === 'click' && action === 'keep-requester') this.open(false);
    else if (event.type === 'input' && event.target.name === 'requester.email') this.#suggest?.typed(event.target.value);
  }
}

export function define() {
  if (!customElements.get('hd-requester-field')) customElements.define('hd-requester-field', RequesterField);
}
