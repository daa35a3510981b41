import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { ticketIdFrom, findTickets } from '../app/ticket-lookup.js';
import { store, can } from '../app/store.js';
import { options, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { label } from '../app/format.js';
import { ownTicketId, TicketStatuses } from '../app/link-targets.js';

const KIND_NAMES = [['issue', 'Issue'], ['task', 'Task'], ['incident', 'Incident'], ['ticket', 'Related ticket']];
const KINDS = [['issue', 'Issues (external)'], ['task', 'Tasks (external)'], ['incident', 'Incidents (external)'], ['ticket', 'Related tickets']];

/** The URL when it is http or https, else null (never a javascript: or data: link). */
export function safeUrl(text) {
  try {
    const url = new URL(text);
    return ['http:', 'https:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The ticket's links grouped by kind: external references to issues, tasks and incidents
 * (title, an optional http/https URL opened with rel="noopener noreferrer", and the status
 * text of the other system, editable) and related tickets. A related ticket, or an external
 * link whose URL is a ticket page of ours, shows that ticket's status, kept live. Add, edit
 * and remove with `ticket.update`. Follows `ticket.links_changed`. Data down: `.ticketId`.
 */
export class TicketLinks extends HTMLElement {
  ticketId = null;
  links = [];
  #stop = null;
  #statuses = new TicketStatuses(() => this.querySelector('.link-groups') && this.showList(''));
  #suggestTimer = null;

  connectedCallback() {
    for (const type of ['click', 'submit', 'change', 'input']) this.addEventListener(type, this);
    this.#stop = store.on('event', ({ room, event }) => {
      if (room === `ticket:${this.ticketId}` && event.kind === 'ticket.links_changed') this.show(event.links, 'Links changed.');
    });
    this.load();
  }

  disconnectedCallback() {
    for (const type of ['click', 'submit', 'change', 'input']) this.removeEventListener(type, this);
    clearTimeout(this.#suggestTimer);
    this.#stop?.();
    this.#statuses.stop();
  }

  async load() {
    try {
      this.show((await api(`/api/tickets/${this.ticketId}/links`)).links);
    } catch (error) {
      render(html`<p class="field-error" role="alert">${error.message}</p>`, this);
    }
  }

  /** The ticket of ours a link points at (a related ticket, or an external URL to a ticket page), or null. */
  ownTicket(link) {
    return link.kind === 'ticket' ? link.ticket.id : (link.url && safeUrl(link.url) ? ownTicketId(link.url) : null);
  }

  item(link) {
    const url = link.url && safeUrl(link.url);
    const own = this.ownTicket(link);
    const status = own ? (this.#statuses.status(own) ?? link.ticket?.status) : null;
    const kind = KIND_NAMES.find(([value]) => value === link.kind)?.[1] ?? link.kind;
    const target = link.kind === 'ticket'
      ? html`<a href="/tickets/${link.ticket.id}"><span class="ref">${link.ticket.reference}</span> ${link.ticket.subject}</a>`
      : html`<span class="link-badge">External ${kind.toLowerCase()}</span>
        ${url ? html`<a href="${url}" target="_blank" rel="noopener noreferrer">${link.title}</a>` : html`<span>${link.title}</span>`}
        <span class="link-status">${link.statusText ? `Status: ${link.statusText}` : 'No status given'}</span>`;
    const ours = own && status ? html` <span class="link-status ticket-status" data-status="${status}">Ticket ${label(status)}</span>` : '';
    const edit = can('ticket.update') && link.kind !== 'ticket' ? html`<details class="link-edit"><summary>Edit status</summary>
      <form class="inline-form link-status-form" data-link="${link.id}" novalidate aria-label="Status of ${link.title}">
        <label for="link-status-${link.id}">Status text</label><input id="link-status-${link.id}" name="statusText" data-field="statusText" value="${link.statusText ?? ''}" maxlength="100">
        <button type="submit" class="button">Save</button></form></details>` : '';
    return html`<li>${target}${ours}${can('ticket.update') ? html`
      <button type="button" class="link-button" data-remove="${link.id}" aria-label="Remove link ${link.title}">Remove</button>` : ''}${edit}</li>`;
  }

  show(links, news = '') {
    this.links = links;
    const form = this.querySelector('form');
    const keep = form && form.contains(document.activeElement);
    if (keep) return this.showList(news);
    render(html`<section class="card links" aria-labelledby="links-title">
      <h2 id="links-title">Links</h2>
      <div class="link-groups"></div>
      <p class="visually-hidden links-news" role="status" aria-live="polite"></p>
      ${can('ticket.update') ? html`<form class="stack-form add-link" novalidate aria-label="Add a link">
        <div class="field"><label for="link-kind">Kind</label><select id="link-kind" name="kind">${options(KIND_NAMES, 'issue')}</select></div>
        <div class="field external"><label for="link-title">Title</label><input id="link-title" name="title"></div>
        <div class="field external"><label for="link-url">URL (optional, http or https)</label><input id="link-url" name="url" type="url" placeholder="https://…"></div>
        <div class="field external"><label for="link-status">Status in its system (optional)</label><input id="link-status" name="statusText" maxlength="100" placeholder="In progress"></div>
        <div class="field internal" hidden><label for="link-ticket">Ticket reference or id</label><input id="link-ticket" name="ticketId" data-field="ticketId" placeholder="TKT-…, a requester or words"
          list="link-ticket-options" autocomplete="off"><datalist id="link-ticket-options"></datalist></div>
        <button type="submit" class="button">Add link</button></form>` : ''}
    </section>`, this);
    this.showList(news);
  }

  showList(news) {
    this.#statuses.watch(this.links.map((link) => this.ownTicket(link)).filter(Boolean));
    const groups = KINDS.map(([kind, title]) => [title, this.links.filter((link) => link.kind === kind)]).filter(([, links]) => links.length);
    render(groups.length ? groups.map(([title, links]) => html`<h3 class="link-kind">${title}</h3><ul class="link-list">${links.map((link) => this.item(link))}</ul>`)
      : html`<p class="muted">No links yet.</p>`, this.querySelector('.link-groups'));
    this.querySelector('.links-news').textContent = news;
  }

  async add(form) {
    clearFieldErrors(form);
    const kind = form.kind.value;
    try {
      const body = kind === 'ticket' ? { kind, ticketId: await ticketIdFrom(form.ticketId.value, 'ticketId') }
        : { kind, title: form.title.value.trim(), ...(form.url.value.trim() ? { url: form.url.value.trim() } : {}),
          ...(form.statusText.value.trim() ? { statusText: form.statusText.value.trim() } : {}) };
      const link = await api(`/api/tickets/${this.ticketId}/links`, { method: 'POST', body });
      if (!this.links.some((known) => known.id === link.id)) this.links = [...this.links, link];
      form.reset();
      this.toggleKind(form);
      this.showList(`Linked ${link.title}.`);
      form.kind.focus();
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async saveStatus(form) {
    clearFieldErrors(form);
    try {
      const link = await api(`/api/tickets/${this.ticketId}/links/${form.dataset.link}`,
        { method: 'PATCH', body: { statusText: form.statusText.value.trim() || null } });
      this.links = this.links.map((known) => (known.id === link.id ? link : known));
      this.showList(`Status of ${link.title} saved.`);
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async remove(id) {
    try {
      await api(`/api/tickets/${this.ticketId}/links/${id}`, { method: 'DELETE' });
      this.links = this.links.filter((link) => link.id !== id);
      this.showList('Link removed.');
      this.querySelector('#link-kind')?.focus();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  toggleKind(form) {
    const internal = form.kind.value === 'ticket';
    form.querySelectorAll('.external').forEach((node) => { node.hidden = internal; });
    form.querySelector('.internal').hidden = !internal;
  }

  /** Suggests tickets for what was typed (the search box's search) as the field's datalist. */
  async suggest(text) {
    const found = text.trim() ? await findTickets(text, 8).catch(() => []) : [];
    const list = this.querySelector('#link-ticket-options');
    if (list) render(found.filter((ticket) => ticket.id !== this.ticketId)
      .map((ticket) => html`<option value="${ticket.reference}">${ticket.subject}</option>`), list);
  }

  handleEvent(event) {
    if (event.type === 'input' && event.target.id === 'link-ticket') {
      clearTimeout(this.#suggestTimer);
      this.#suggestTimer = setTimeout(() => this.suggest(event.target.value), 150);
    } else if (event.type === 'submit' && event.target.classList.contains('link-status-form')) { event.preventDefault(); this.saveStatus(event.target); }
    else if (event.type === 'submit') { event.preventDefault(); this.add(event.target); }
    else if (event.type === 'change' && event.target.name === 'kind') this.toggleKind(event.target.form);
    else if (event.type === 'click' && event.target.dataset.remove) this.remove(Number(event.target.dataset.remove));
  }
}

export function define() {
  if (!customElements.get('hd-ticket-links')) customElements.define('hd-ticket-links', TicketLinks);
}
