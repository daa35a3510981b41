import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store, can } from '../app/store.js';
import { announce } from '../app/controls.js';

/**
 * The contacts copied on the ticket, as chips: public replies are emailed to them too, and
 * their emails count as replies. With `ticket.update`, add one by address or remove one.
 * Follows `ticket.ccs_changed` in the ticket's room. Data down: `.ticketId`; up:
 * `timeline-changed` on each change (the room echoes the agent's own changes too).
 */
export class TicketCCs extends HTMLElement {
  ticketId = null;
  ccs = [];
  #stop = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('submit', this);
    this.#stop = store.on('event', ({ room, event }) => {
      if (room !== `ticket:${this.ticketId}` || event.kind !== 'ticket.ccs_changed') return;
      this.show(event.ccs, true);
      // Each change is audited: the page's timeline shows it.
      this.dispatchEvent(new CustomEvent('timeline-changed', { bubbles: true }));
    });
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('submit', this);
    this.#stop?.();
  }

  async load() {
    try {
      this.show((await api(`/api/tickets/${this.ticketId}/ccs`)).ccs);
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  show(ccs, remote = false) {
    this.ccs = ccs;
    // A live re-render (the room echoes our own change) keeps the agent's place in the form.
    const focused = this.contains(document.activeElement) ? document.activeElement.id : '';
    const typed = this.querySelector('#cc-email')?.value ?? '';
    const edit = can('ticket.update');
    render(html`<section class="card ccs" aria-labelledby="ccs-title">
      <h2 id="ccs-title">CC <span class="muted">(${ccs.length})</span></h2>
      ${ccs.length ? html`<ul class="cc-list">${ccs.map((cc) => html`<li class="chip cc-chip" title="${cc.email}">
          <span>${cc.name} <span class="muted">&lt;${cc.email}&gt;</span></span>
          ${edit ? html`<button type="button" class="chip-remove" data-remove="${cc.id}" aria-label="Remove ${cc.email} from CC">×</button>` : ''}</li>`)}</ul>`
        : html`<p class="muted">Nobody is copied on this ticket.</p>`}
      ${edit ? html`<form class="inline-form add-cc" novalidate>
        <label for="cc-email">Copy someone</label>
        <input id="cc-email" name="email" type="email" autocomplete="off" placeholder="name@example.com" required>
        <button type="submit" class="button">Add CC</button>
        <p class="field-error cc-error" role="alert"></p></form>` : ''}
      <p class="visually-hidden" role="status" aria-live="polite">${remote ? 'CC list changed.' : ''}</p>
    </section>`, this);
    const input = this.querySelector('#cc-email');
    if (input && remote) input.value = typed;
    if (focused) this.querySelector(`#${focused}`)?.focus();
  }

  async add(email) {
    const error = this.querySelector('.cc-error');
    try {
      const answer = await api(`/api/tickets/${this.ticketId}/ccs`, { method: 'POST', body: { email } });
      this.querySelector('#cc-email').value = '';
      this.show(answer.ccs);
      this.querySelector('#cc-email')?.focus();
      announce(`${email} is copied on this ticket.`);
    } catch (failure) {
      if (error) error.textContent = failure.message;
      this.querySelector('#cc-email')?.setAttribute('aria-invalid', 'true');
    }
  }

  async remove(contactId) {
    try {
      await api(`/api/tickets/${this.ticketId}/ccs/${contactId}`, { method: 'DELETE' });
      this.show(this.ccs.filter((cc) => cc.id !== contactId));
      this.querySelector('#cc-email')?.focus();
      announce('Removed from CC.');
    } catch (failure) {
      announce(failure.message, 'error');
    }
  }

  handleEvent(event) {
    if (event.type === 'submit') {
      event.preventDefault();
      const email = event.target.email.value.trim();
      if (email) this.add(email);
      return;
    }
    const remove = event.target.closest('[data-remove]');
    if (remove) this.remove(Number(remove.dataset.remove));
  }
}

export function define() {
  if (!customElements.get('hd-ticket-ccs')) customElements.define('hd-ticket-ccs', TicketCCs);
}
