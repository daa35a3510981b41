import { html, render } from '../app/html.js';
import { formatDateTime, fileSize } from '../app/format.js';
import { portalApi, linkToken, download } from './portal-api.js';
import { PortalLive } from './portal-live.js';
import { define as defineReply } from './hd-portal-reply.js';

/**
 * The requester's view of one ticket: the account's logo and name, the reference, subject
 * and status in plain words, the public conversation with its files, and the reply form.
 * Follows the ticket live (agents' replies, status changes) and reloads after reconnecting.
 */
export class Portal extends HTMLElement {
  ticket = null;
  #live = new PortalLive({ onEvent: (event) => this.liveEvent(event), onState: (state) => this.liveState(state) });
  #wasLive = false;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('reply-sent', this);
    if (!linkToken()) return this.fail('This page opens from the link the support team sent you.');
    this.load().then(() => { if (this.ticket) this.#live.start(); });
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('reply-sent', this);
    this.#live.stop();
  }

  async load() {
    try {
      this.ticket = await portalApi('/api/portal/ticket');
      this.show();
    } catch (error) {
      this.fail(error.status === 404 ? 'This link does not open a request. Ask the support team for a new one.'
        : error.status === 429 ? 'Too many attempts. Please wait a few minutes and try again.' : error.message);
    }
  }

  fail(message) {
    document.title = 'Link not valid';
    render(html`<main class="portal narrow"><div class="error-state" role="alert"><h1>We could not open this request</h1>
      <p>${message}</p></div></main>`, this);
  }

  show() {
    const t = this.ticket;
    document.title = `${t.reference} ${t.subject}`;
    render(html`<header class="portal-brand">
        ${t.account.logoUrl ? html`<img src="${t.account.logoUrl}" alt="" class="portal-logo">` : ''}
        <span class="portal-account">${t.account.name}</span></header>
      <main class="portal">
        <h1><span class="ref">${t.reference}</span> ${t.subject}</h1>
        <p class="portal-status status-${t.status}"><strong>Status:</strong> <span class="status-text">${t.statusText}</span></p>
        ${this.surveyBox(t.survey)}
        <p class="visually-hidden" role="status" aria-live="polite" id="portal-news"></p>
        <p class="portal-live muted" aria-hidden="true"></p>
        <section id="conversation" aria-labelledby="conversation-title" tabindex="-1">
          <h2 id="conversation-title">Conversation</h2>
          <ol class="portal-thread">${t.messages.map((m) => this.message(m))}</ol>
          ${t.messages.length ? '' : html`<p class="muted empty-thread">No replies yet.</p>`}
        </section>
        <hd-portal-reply></hd-portal-reply>
      </main>`, this);
  }

  surveyBox(survey) {
    if (!survey?.url) return '';
    if (survey.status === 'answered') {
      // The answer stays changeable until the survey expires (the server has the last word).
      const open = new Date(survey.expiresAt) > new Date();
      return html`<p class="portal-survey">Thank you for rating our help ${survey.rating} of 5.
        ${open ? html`<a href="${survey.url}">Change your rating</a>` : ''}</p>`;
    }
    if (survey.status !== 'pending') return '';
    return html`<p class="portal-survey"><a href="${survey.url}">Tell us how we did</a>
      <span class="muted">(a short survey, open until ${formatDateTime(survey.expiresAt)})</span></p>`;
  }

  message(m) {
    const mine = m.author.type === 'requester';
    return html`<li class="portal-message ${mine ? 'from-requester' : 'from-agent'}" data-id="${m.id}">
      <article aria-label="${mine ? 'Your message' : `Reply from ${m.author.name}`}">
        <header><strong>${mine ? 'You' : m.author.name}</strong> <time datetime="${m.createdAt}">${formatDateTime(m.createdAt)}</time></header>
        <p class="portal-body">${m.body}</p>
        ${m.attachments.length ? html`<ul class="portal-files" aria-label="Files">${m.attachments.map((f) => html`<li>
          <button type="button" class="link-button" data-file="${f.id}">${f.fileName}</button> <span class="muted">(${fileSize(f.size)})</span></li>`)}</ul>` : ''}
      </article></li>`;
  }

  liveEvent(event) {
    if (!this.ticket) return;
    if (event.type === 'message') {
      if (this.ticket.messages.some((m) => m.id === event.message.id)) return;
      this.ticket = { ...this.ticket, messages: [...this.ticket.messages, event.message] };
      this.refresh(event.message.author.type === 'agent' ? `New reply from ${event.message.author.name}.` : '');
    } else if (event.type === 'status') {
      this.ticket = { ...this.ticket, ...event.ticket };
      this.refresh(`Status: ${event.ticket.statusText}`);
    }
  }

  /** Re-renders the thread and status, keeping the reply form (and what is typed in it). */
  refresh(news) {
    const t = this.ticket;
    this.querySelector('.portal-thread').innerHTML = html`${t.messages.map((m) => this.message(m))}`.text;
    this.querySelector('.empty-thread')?.remove();
    const status = this.querySelector('.portal-status');
    status.className = `portal-status status-${t.status}`;
    status.querySelector('.status-text').textContent = t.statusText;
    if (news) this.querySelector('#portal-news').textContent = news;
  }

  liveState(state) {
    const label = this.querySelector('.portal-live');
    if (state === 'live' && this.#wasLive) this.load();
    if (state === 'live') this.#wasLive = true;
    if (state === 'ended') this.fail('This link no longer works. Ask the support team for a new one.');
    else if (label) label.textContent = state === 'live' ? 'Updates appear here as they happen.' : 'Reconnecting…';
  }

  handleEvent(event) {
    if (event.type === 'reply-sent') {
      this.liveEvent({ type: 'message', message: event.detail.message });
      this.load();
      return;
    }
    const id = event.target.dataset?.file;
    if (!id) return;
    const file = this.ticket.messages.flatMap((m) => m.attachments).find((f) => String(f.id) === id);
    if (file) download(file).catch((error) => { this.querySelector('#portal-news').textContent = error.message; });
  }
}

export function define() {
  defineReply();
  if (!customElements.get('hd-portal')) customElements.define('hd-portal', Portal);
}
