import { html, render } from '../app/html.js';
import { formatDateTime, fileSize } from '../app/format.js';
import { emailMark, emailBody } from '../app/email-message.js';

const KIND_LABEL = { reply: 'Reply', note: 'Internal note', system: 'System' };

/** The conversation. Data down: `.messages`, `.newerIds` (a Set to highlight). */
export class Thread extends HTMLElement {
  messages = [];
  newerIds = new Set();

  connectedCallback() { this.update(); }

  attachment(file) {
    return html`<li class="attachment">
      ${file.previewUrl ? html`<a href="${file.url}" download="${file.fileName}"><img src="${file.previewUrl}" alt="Preview of ${file.fileName}" loading="lazy"></a>` : ''}
      <a href="${file.url}" download="${file.fileName}">${file.fileName}</a> <span class="muted">${fileSize(file.size)}</span>
    </li>`;
  }

  message(message) {
    const fromRequester = message.author.type === 'requester';
    const classes = `message kind-${message.kind}${fromRequester ? ' kind-requester' : ''}${this.newerIds.has(message.id) ? ' newer' : ''}`;
    const kind = message.kind === 'reply' && fromRequester ? 'Customer' : KIND_LABEL[message.kind];
    return html`<li><article class="${classes}" id="message-${message.id}" tabindex="-1" data-message-id="${message.id}" aria-label="${kind} from ${message.author.name || 'System'}">
      <header><strong>${message.author.name || 'System'}</strong><span class="kind-label">${kind}</span>
        <time class="muted" datetime="${message.createdAt}">${formatDateTime(message.createdAt)}</time>${emailMark(message)}
        ${this.newerIds.has(message.id) ? html`<span class="badge status-pending">New while you were writing</span>` : ''}</header>
      ${emailBody(message)}
      ${message.attachments.length ? html`<ul class="attachments" aria-label="Attachments">${message.attachments.map((file) => this.attachment(file))}</ul>` : ''}
    </article></li>`;
  }

  update() {
    // A re-render (a live message, a reload) keeps the quoted history the agent unfolded.
    const unfolded = [...this.querySelectorAll('details.email-full[open]')].map((details) => details.closest('article').id);
    render(this.messages.length
      ? html`<ol class="thread" aria-label="Conversation">${this.messages.map((message) => this.message(message))}</ol>`
      : html`<p class="muted">No messages yet.</p>`, this);
    for (const id of unfolded) this.querySelector(`#${id} details.email-full`)?.setAttribute('open', '');
  }
}

export function define() {
  if (!customElements.get('hd-thread')) customElements.define('hd-thread', Thread);
}
