import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store, can } from '../app/store.js';
import { myId } from '../app/live.js';
import { options, agentOptions, announce } from '../app/controls.js';

/**
 * The ticket's watchers: names, Watch / Stop watching for yourself, and (with
 * `ticket.update`) add or remove colleagues. Follows `ticket.watchers_changed` in the
 * ticket's room. Data down: `.ticketId`.
 */
export class TicketWatchers extends HTMLElement {
  ticketId = null;
  watchers = [];
  #stop = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('submit', this);
    this.#stop = store.on('event', ({ room, event }) => {
      if (room === `ticket:${this.ticketId}` && event.kind === 'ticket.watchers_changed') this.show(event.watchers, true);
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
      this.show((await api(`/api/tickets/${this.ticketId}/watchers`)).watchers);
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  show(watchers, remote = false) {
    this.watchers = watchers;
    const me = myId();
    const watching = watchers.some((watcher) => watcher.id === me);
    const others = can('ticket.update');
    const candidates = agentOptions(store.state.agents).filter(([id]) => !watchers.some((watcher) => String(watcher.id) === id));
    render(html`<section class="card watchers" aria-labelledby="watchers-title">
      <h2 id="watchers-title">Watchers <span class="muted">(${watchers.length})</span></h2>
      ${watchers.length ? html`<ul class="watcher-list">${watchers.map((watcher) => html`<li>${watcher.name}${watcher.id === me ? ' (you)' : ''}
        ${others && watcher.id !== me ? html`<button type="button" class="link-button" data-remove="${watcher.id}" aria-label="Remove ${watcher.name} from watchers">Remove</button>` : ''}</li>`)}</ul>`
        : html`<p class="muted">Nobody watches this ticket.</p>`}
      <button type="button" class="button" data-self="${watching ? 'stop' : 'watch'}">${watching ? 'Stop watching' : 'Watch'}</button>
      ${others && candidates.length ? html`<form class="inline-form add-watcher">
        <label for="watcher-agent">Add a watcher</label>
        <select id="watcher-agent" name="agent">${options(candidates)}</select>
        <button type="submit" class="button">Add</button></form>` : ''}
      <p class="visually-hidden" role="status" aria-live="polite">${remote ? 'Watchers changed.' : ''}</p>
    </section>`, this);
  }

  async add(agentId) {
    try {
      const answer = await api(`/api/tickets/${this.ticketId}/watchers`, { method: 'POST', body: { agentId } });
      this.show(answer.watchers);
      this.querySelector(agentId === myId() ? '[data-self]' : '#watcher-agent, [data-self]')?.focus();
      announce(agentId === myId() ? 'You are watching this ticket.' : 'Watcher added.');
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  async remove(agentId) {
    try {
      await api(`/api/tickets/${this.ticketId}/watchers/${agentId}`, { method: 'DELETE' });
      this.show(this.watchers.filter((watcher) => watcher.id !== agentId));
      this.querySelector('[data-self]')?.focus();
      announce(agentId === myId() ? 'You stopped watching this ticket.' : 'Watcher removed.');
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const { dataset } = event.target;
    if (event.type === 'submit') { event.preventDefault(); this.add(Number(event.target.agent.value)); }
    else if (dataset.self === 'watch') this.add(myId());
    else if (dataset.self === 'stop') this.remove(myId());
    else if (dataset.remove) this.remove(Number(dataset.remove));
  }
}

export function define() {
  if (!customElements.get('hd-ticket-watchers')) customElements.define('hd-ticket-watchers', TicketWatchers);
}
