import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { store } from '../app/store.js';
import { formatDateTime } from '../app/format.js';

const WORDS = { pending: 'Waiting for the customer', answered: 'Answered', expired: 'Expired unanswered', cancelled: 'Cancelled (reopened)' };

/**
 * The ticket's CSAT surveys: the customer's rating and comment, or where the survey stands.
 * Follows `survey.*` (created, sent, rated, answer_changed, cancelled) in the ticket's room.
 * Data down: `.ticketId`; up: `timeline-changed` on each survey change.
 */
export class TicketSurvey extends HTMLElement {
  ticketId = null;
  surveys = [];
  #stop = null;

  connectedCallback() {
    this.#stop = store.on('event', ({ room, event }) => {
      if (room !== `ticket:${this.ticketId}` || !event.kind?.startsWith('survey.')) return;
      this.load(event.kind === 'survey.rated' || event.kind === 'survey.answer_changed');
      this.dispatchEvent(new CustomEvent('timeline-changed', { bubbles: true }));
    });
    this.load();
  }

  disconnectedCallback() { this.#stop?.(); }

  async load(announce = false) {
    try {
      this.surveys = (await api(`/api/tickets/${this.ticketId}/surveys`)).surveys;
      this.show(announce);
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  show(announce) {
    if (!this.surveys.length) { render('', this); return; }
    const latest = this.surveys.at(-1);
    render(html`<section class="card ticket-survey" aria-labelledby="survey-title">
      <h2 id="survey-title">Customer satisfaction</h2>
      ${latest.rating ? html`<p class="survey-rating rating-${latest.rating}"><span aria-hidden="true">${'★'.repeat(latest.rating)}${'☆'.repeat(5 - latest.rating)}</span>
          <strong>${latest.rating} of 5</strong></p>
        ${latest.comment ? html`<blockquote class="survey-comment">${latest.comment}</blockquote>` : ''}
        <p class="muted">Answered ${formatDateTime(latest.answeredAt)}${latest.resolvedBy ? html` · resolved by ${latest.resolvedBy.name}` : ''}</p>`
        : html`<p>${WORDS[latest.status]}</p><p class="muted">Open until ${formatDateTime(latest.expiresAt)}</p>`}
      <p class="visually-hidden" role="status" aria-live="polite">${announce ? `The customer rated ${latest.rating} of 5.` : ''}</p>
    </section>`, this);
  }
}

export function define() {
  if (!customElements.get('hd-ticket-survey')) customElements.define('hd-ticket-survey', TicketSurvey);
}
