import { html, render } from '../app/html.js';
import { upload, MAX_ATTACHMENT_BYTES } from '../app/upload.js';
import { fileSize } from '../app/format.js';
import { announce } from '../app/controls.js';
import { TypingSignal } from '../app/typing.js';
import { can } from '../app/store.js';
import { define as defineCanned } from './hd-canned-picker.js';

/**
 * Writes a reply or an internal note with attachments (picker or drag and drop, with
 * upload progress; files over 10 MB are refused before uploading). Data down:
 * `.ticketId`, `.lastMessageId` (through `seen(id)` while nothing is being written).
 * Events up: `message-posted` {message}, `reply-collision` {newerMessages} (then "Send
 * anyway" posts with force), `composing` {composing} at most every 3 s while typing,
 * `composing-stop` when sent, cleared or left.
 */
export class Composer extends HTMLElement {
  ticketId = null;
  lastMessageId = null;
  #mode = 'reply';
  #files = [];
  #collided = false;
  #typing = new TypingSignal(this);

  connectedCallback() {
    render(html`
      <form class="composer mode-reply" aria-labelledby="composer-title" novalidate>
        <h2 id="composer-title" class="visually-hidden">Write a reply or note</h2>
        <div class="mode-switch" role="group" aria-label="Message type">
          <button type="button" data-mode="reply" aria-pressed="true">Reply to customer</button>
          <button type="button" data-mode="note" aria-pressed="false">Internal note</button>
        </div>
        <label for="composer-body" class="visually-hidden">Message</label>
        <div class="collision-warning" role="alert" hidden></div>
        <textarea id="composer-body" name="body" placeholder="Write a reply to the customer…"></textarea>
        <ul class="pending-files" aria-label="Files to attach" aria-live="polite"></ul>
        <p class="composer-error field-error" role="alert" hidden></p>
        <div class="composer-actions">
          <input id="composer-files" class="visually-hidden file-input" type="file" multiple>
          <label class="button" for="composer-files">Attach files</label>
          <span class="drop-hint">or drop files here (10 MB each)</span>
          <progress max="1" value="0" hidden aria-label="Upload progress"></progress>
          <button type="submit" class="button primary send">Send reply</button>
        </div>
      </form>`, this);
    for (const type of EVENTS) this.addEventListener(type, this);
    this.addCannedPicker();
  }

  /** Canned responses (hd-canned-picker) next to the attach button. */
  addCannedPicker() {
    if (!can('ticket.view')) return;
    defineCanned();
    const picker = document.createElement('hd-canned-picker');
    picker.textarea = this.querySelector('textarea');
    picker.className = 'canned-picker';
    this.querySelector('.composer-actions').prepend(picker);
  }

  disconnectedCallback() {
    for (const type of EVENTS) this.removeEventListener(type, this);
    this.#typing.stop();
  }

  /** True while the box holds text or files: the agent is writing. */
  get composing() {
    const body = this.querySelector('textarea');
    return Boolean(body?.value.trim()) || this.#files.length > 0;
  }

  /** The page saw message `id`; it becomes the reply's base unless the agent is writing. */
  seen(id) {
    if (!this.composing) this.lastMessageId = id;
  }

  /** Someone else replied while the agent writes: warn now, and ask to confirm on send. */
  warnCollision(message) {
    this.#collided = true;
    const warning = this.querySelector('.collision-warning');
    const who = message.author.name || (message.author.type === 'requester' ? 'The customer' : 'Someone');
    render(html`<strong>${who} replied while you were writing</strong> — review it before you send.
      <a href="#message-${message.id}" data-review>Show the reply</a>`, warning);
    warning.hidden = false;
    this.setSendLabel();
  }


  setMode(mode) {
    this.#mode = mode;
    const form = this.querySelector('form');
    form.className = `composer mode-${mode}`;
    for (const button of this.querySelectorAll('[data-mode]')) button.setAttribute('aria-pressed', String(button.dataset.mode === mode));
    form.body.placeholder = mode === 'note' ? 'Write an internal note (only agents see it)…' : 'Write a reply to the customer…';
    this.setSendLabel();
    if (this.#typing.active) this.#typing.typed(mode, this.composing);
  }

  setSendLabel() {
    const text = this.#mode === 'note' ? 'Add note' : 'Send reply';
    this.querySelector('.send').textContent = this.#collided ? `${text} anyway` : text;
  }

  addFiles(list) {
    const error = this.querySelector('.composer-error');
    const tooBig = [...list].filter((file) => file.size > MAX_ATTACHMENT_BYTES);
    error.hidden = tooBig.length === 0;
    error.textContent = tooBig.map((file) => `${file.name} is ${fileSize(file.size)}; files can be at most 10 MB.`).join(' ');
    this.#files = [...this.#files, ...[...list].filter((file) => file.size <= MAX_ATTACHMENT_BYTES)];
    this.showFiles();
  }

  showFiles() {
    render(this.#files.map((file, index) => html`<li>${file.name} <span class="muted">${fileSize(file.size)}</span>
      <button type="button" class="link-button" data-remove="${index}" aria-label="Remove ${file.name}">Remove</button></li>`),
    this.querySelector('.pending-files'));
  }

  async send() {
    const form = this.querySelector('form');
    const body = form.body.value.trim();
    if (!body && this.#files.length === 0) return announce('Write a message or attach a file first.', 'error');
    const data = new FormData();
    data.set('kind', this.#mode);
    data.set('body', body);
    if (this.lastMessageId) data.set('afterMessageId', String(this.lastMessageId));
    if (this.#collided) data.set('force', 'true');
    this.#files.forEach((file) => data.append('attachments', file, file.name));
    const progress = this.querySelector('progress');
    progress.hidden = this.#files.length === 0;
    form.querySelector('.send').disabled = true;
    try {
      const message = await upload(`/api/tickets/${this.ticketId}/messages`, data, (fraction) => { progress.value = fraction; });
      form.body.value = '';
      this.#files = [];
      this.#collided = false;
      this.querySelector('.collision-warning').hidden = true;
      this.#typing.stop();
      this.showFiles();
      announce(this.#mode === 'note' ? 'Note added.' : 'Reply sent.');
      this.dispatchEvent(new CustomEvent('message-posted', { bubbles: true, detail: { message } }));
    } catch (error) {
      if (error.status === 409 && error.problem.newerMessages) {
        this.#collided = true;
        this.dispatchEvent(new CustomEvent('reply-collision', { bubbles: true, detail: { newerMessages: error.problem.newerMessages } }));
        announce('New messages arrived while you were writing. Read them, then send anyway if your message still fits.', 'error');
      } else {
        const problem = this.querySelector('.composer-error');
        problem.textContent = error.message;
        problem.hidden = false;
      }
    } finally {
      progress.hidden = true;
      progress.value = 0;
      form.querySelector('.send').disabled = false;
      this.setSendLabel();
    }
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'click' && target.dataset.mode) this.setMode(target.dataset.mode);
    else if (type === 'click' && target.dataset.remove) { this.#files = this.#files.filter((_, i) => i !== Number(target.dataset.remove)); this.showFiles(); }
    else if (type === 'change' && target.type === 'file') { this.addFiles(target.files); target.value = ''; }
    else if (type === 'submit') { event.preventDefault(); this.send(); }
    else if (type === 'input' && target.name === 'body') this.#typing.typed(this.#mode, this.composing);
    else if (type === 'click' && target.closest('[data-review]')) this.review(event);
    else if (type === 'keydown' && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); this.send(); }
    else if (type === 'dragover') { event.preventDefault(); this.querySelector('form').classList.add('dragging'); }
    else if (type === 'dragleave') this.querySelector('form').classList.remove('dragging');
    else if (type === 'drop') {
      event.preventDefault();
      this.querySelector('form').classList.remove('dragging');
      this.addFiles(event.dataTransfer.files);
    }
  }

  review(event) {
    event.preventDefault();
    const id = event.target.closest('[data-review]').getAttribute('href').slice(1);
    const message = document.getElementById(id);
    message?.scrollIntoView({ block: 'center' });
    message?.focus();
  }
}

const EVENTS = ['click', 'change', 'input', 'submit', 'dragover', 'dragleave', 'drop', 'keydown'];

export function define() {
  if (!customElements.get('hd-composer')) customElements.define('hd-composer', Composer);
}
