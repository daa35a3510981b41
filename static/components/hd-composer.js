import { html, render } from '../app/html.js';
import { upload } from '../app/upload.js';
import { announce } from '../app/controls.js';
import { TypingSignal } from '../app/typing.js';
import { ComposerFiles, messageForm } from '../app/composer-files.js';
import { can } from '../app/store.js';
import { define as defineCanned } from './hd-canned-picker.js';
import { define as defineWarning } from './hd-collision-warning.js';

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
  #files = new ComposerFiles(this);
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
        <hd-collision-warning class="collision-warning" role="alert" hidden></hd-collision-warning>
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
    return Boolean(body?.value.trim()) || this.#files.files.length > 0;
  }

  /** The page saw message `id`; it becomes the reply's base unless the agent is writing. */
  seen(id) {
    if (!this.composing) this.lastMessageId = id;
  }

  /** Someone else replied while the agent writes: warn now, and ask to confirm on send. */
  warnCollision(message) {
    this.#collided = true;
    this.querySelector('hd-collision-warning').warn(message);
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

  async send() {
    const form = this.querySelector('form');
    const body = form.body.value.trim();
    const files = this.#files.files;
    if (!body && files.length === 0) return announce('Write a message or attach a file first.', 'error');
    const data = messageForm({ kind: this.#mode, body, afterMessageId: this.lastMessageId, force: this.#collided }, files);
    const progress = this.querySelector('progress');
    progress.hidden = files.length === 0;
    form.querySelector('.send').disabled = true;
    try {
      const message = await upload(`/api/tickets/${this.ticketId}/messages`, data, (fraction) => { progress.value = fraction; });
      form.body.value = '';
      this.#files.clear();
      this.#collided = false;
      this.querySelector('hd-collision-warning').clear();
      this.#typing.stop();
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
    else if (type === 'click' && target.dataset.remove) this.#files.remove(Number(target.dataset.remove));
    else if (type === 'change' && target.type === 'file') { this.#files.add(target.files); target.value = ''; }
    else if (type === 'submit') { event.preventDefault(); this.send(); }
    else if (type === 'input' && target.name === 'body') this.#typing.typed(this.#mode, this.composing);
    else if (type === 'keydown' && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); this.send(); }
    else if (type === 'dragover' || type === 'dragleave' || type === 'drop') this.#files.dragged(event);
  }
}

const EVENTS = ['click', 'change', 'input', 'submit', 'dragover', 'dragleave', 'drop', 'keydown'];

export function define() {
  defineWarning();
  if (!customElements.get('hd-composer')) customElements.define('hd-composer', Composer);
}
