import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store, can } from '../app/store.js';
import { navigate } from '../app/router.js';
import { announce } from '../app/controls.js';
import { chooseDuplicates } from './hd-merge-dialog.js';

/** How long the secondary shows "Merged into …" before following it (unless the agent is writing). */
const FOLLOW_DELAY_MS = 2500;

/**
 * Merging on the ticket page: the "Merge…" action (with `ticket.update`), the notice
 * "TKT-2 was merged into this ticket" after following a merged ticket here
 * (`?mergedFrom=`), and the live `ticket.merged`: the primary reloads its thread, the
 * secondary says "Merged into TKT-…" and leads to the primary. Data down: `.ticket`
 * and `.page` (the hd-ticket-page, for `updates.reloadThread()`).
 */
export class TicketMerge extends HTMLElement {
  ticket = null;
  page = null;
  #stop = null;
  #follow = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.#stop = store.on('event', ({ room, event }) => {
      if (room === `ticket:${this.ticket?.id}` && event.kind === 'ticket.merged') this.merged(event);
    });
    const from = new URLSearchParams(location.search).get('mergedFrom');
    render(html`<div class="merge-notice-slot" role="status" aria-live="polite">${from ? this.notice(from) : ''}</div>
      ${can('ticket.update') && !this.ticket?.mergedIntoId ? html`<button type="button" class="button" data-merge aria-haspopup="dialog">Merge…</button>` : ''}`, this);
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.#stop?.();
    clearTimeout(this.#follow);
  }

  notice(from) {
    return html`<p class="merge-notice"><strong>${from} was merged into ${this.ticket.reference}.</strong> You opened ${from}; its conversation continues here.</p>`;
  }

  async merge() {
    const chosen = await chooseDuplicates(this.ticket);
    this.querySelector('[data-merge]')?.focus();
    if (!chosen?.length) return;
    try {
      const result = await api(`/api/tickets/${this.ticket.id}/merge`, { method: 'POST', body: { secondaryIds: chosen.map((t) => t.id) } });
      render(html`<p class="merge-notice"><strong>${chosen.map((t) => t.reference).join(', ')} merged into ${this.ticket.reference}.</strong>
        ${result.movedMessages} replies and notes moved here.</p>`, this.querySelector('.merge-notice-slot'));
      await this.page?.updates.reloadThread(result.primary);
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  /** `ticket.merged` in this ticket's room (protocol.md 2.6). */
  merged({ primary, secondary }) {
    if (primary.id === this.ticket.id) {
      render(html`<p class="merge-notice"><strong>${secondary.reference} was merged into this ticket.</strong> Its replies and notes are now here.</p>`,
        this.querySelector('.merge-notice-slot'));
      this.page?.updates.reloadThread(primary);
    } else if (secondary.id === this.ticket.id) {
      render(html`<p class="merge-notice"><strong>Merged into ${primary.reference}.</strong> <a href="/tickets/${primary.id}?mergedFrom=${encodeURIComponent(secondary.reference)}">Open ${primary.reference}</a></p>`,
        this.querySelector('.merge-notice-slot'));
      this.querySelector('[data-merge]')?.remove();
      const composer = this.page?.querySelector('hd-composer');
      const target = `/tickets/${primary.id}?mergedFrom=${encodeURIComponent(secondary.reference)}`;
      if (!composer?.composing) this.#follow = setTimeout(() => navigate(target, { replace: true }), FOLLOW_DELAY_MS);
    }
  }

  handleEvent(event) {
    if (event.target.closest('[data-merge]')) this.merge();
  }
}

export function define() {
  if (!customElements.get('hd-ticket-merge')) customElements.define('hd-ticket-merge', TicketMerge);
}
