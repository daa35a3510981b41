import { html, render } from '../app/html.js';
import { upload } from '../app/upload.js';
import { announce } from '../app/controls.js';
import { TypingSignal } from '../app/typing.js';
import { ComposerFiles, messageForm } from '../app/composer-files.js';
import { loadDraft, saveDraft, clearDraft, undoSeconds } from '../app/drafts.js';
import { DelayedSend } from '../app/delayed-send.js';
import { can } from '../app/store.js';
import { define as defineWarning } from './hd-collision-warning.js';

/**
 * Writes a reply or an internal note with attachments (picker or drag and drop, with
 * upload progress; files over 10 MB are refused before uploading). The text is kept as
 * the ticket's draft while typed; a sent message waits the agent's "Undo send" window
 * before it is posted. "Send & set Pending/Resolved" post the reply and then set the
 * status. After a note the composer returns to "Reply". Data down: `.ticketId`,
 * `.lastMessageId` (through `seen(id)` while nothing is being written). Events up:
 * `message-posted` {message, then}, `reply-collision` {newerMessages} (then "Send
 * anyway" posts with force), `composing` {composing} at most every 3 s while typing,
 * `composing-stop` when sent, cleared or left.
 */
export class Composer extends HTMLElement {
  lastMessageId = null;
  #ticketId = null;
  #mode = 'reply';
  #files = new ComposerFiles(this);
  #collided = false;
  #typing = new TypingSignal(this);
  #delayed = new DelayedSend();

  connectedCallback() {
    render(html`
      <form class="composer mode-reply" aria-labelledby="composer-title" tabindex="-1" novalidate>
        <h2 id="composer-title" class="visually-hidden">Write a reply or note</h2>
        <div class="mode-switch" role="group" aria-label="Message type">
          <button type="button" data-mode="reply" aria-pressed="true" aria-keyshortcuts="r">Reply to customer</button>
          <button type="button" data-mode="note" aria-pressed="false" aria-keyshortcuts="n">Internal note</button>
        </div>
        <span class="draft-state muted" aria-live="polite"></span>
        <label for="composer-body" class="visually-hidden">Message</label>
        <hd-collision-warning class="collision-warning" role="alert" hidden></hd-collision-warning>
        <textarea id="composer-body" name="body" placeholder="Write a reply to the customer…"></textarea>
        <ul class="pending-files" aria-label="Files to attach" aria-live="polite"></ul>
        <p class="composer-error field-error" role="alert" hidden></p>
        <div class="undo-send" role="status" hidden><span class="undo-text"></span>
          <button type="button" class="button small" data-action="undo">Undo</button>
          <button type="button" class="link-button" data-action="send-now">Send now</button></div>
        <div class="composer-actions">
          <input id="composer-files" class="visually-hidden file-input" type="file" multiple>
          <label class="button" for="composer-files">Attach files</label>
          <span class="drop-hint">or drop files here (10 MB each)</span>
          <progress max="1" value="0" hidden aria-label="Upload progress"></progress>
          <span class="send-group">
            <button type="button" class="button then-status" data-then="pending">Send &amp; set Pending</button>
            <button type="button" class="button then-status" data-then="resolved">Send &amp; set Resolved</button>
            <button type="submit" class="button primary send">Send reply</button>
          </span>
        </div>
      </form>`, this);
    for (const type of EVENTS) this.addEventListener(type, this);
    window.addEventListener('beforeunload', this);
    this.addHelpers();
    if (this.#ticketId !== null) this.restoreDraft();
  }

  /**
   * Canned responses (hd-canned-picker) next to the attach button and @mentions under the
   * box, loaded after the page shows (off the first content's path) and made once defined.
   */
  async addHelpers() {
    const [canned, mentions] = await Promise.all([import('./hd-canned-picker.js'), import('./hd-mention-picker.js')]);
    const box = this.querySelector('textarea');
    if (!box) return;
    mentions.define();
    const mention = document.createElement('hd-mention-picker');
    mention.hidden = true;
    mention.textarea = box;
    mention.enabled = this.#mode === 'note';
    box.after(mention);
    if (!can('ticket.view')) return;
    canned.define();
    const picker = document.createElement('hd-canned-picker');
    picker.textarea = box;
    picker.className = 'canned-picker';
    this.querySelector('.composer-actions').prepend(picker);
  }

  disconnectedCallback() {
    for (const type of EVENTS) this.removeEventListener(type, this);
    window.removeEventListener('beforeunload', this);
    // Leaving the page within the undo window sends: the agent did press Send.
    this.#delayed.flush();
    this.#typing.stop();
  }

  get ticketId() { return this.#ticketId; }

  /** The ticket written to; its saved draft (if any) comes back into the box. */
  set ticketId(id) {
    if (id === this.#ticketId) return;
    this.#ticketId = id;
    if (this.isConnected) this.restoreDraft();
  }

  restoreDraft() {
    const draft = loadDraft(this.#ticketId);
    const body = this.querySelector('textarea');
    if (!draft || body.value.trim()) return;
    this.setMode(draft.mode === 'note' ? 'note' : 'reply');
    body.value = draft.body;
    this.querySelector('.draft-state').textContent = 'Draft restored';
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

  /** Switches to `mode` ('reply' or 'note') and puts the cursor in the box (the r and n shortcuts). */
  focusMode(mode) {
    this.setMode(mode);
    this.querySelector('textarea').focus();
  }

  setMode(mode, { keepDraft = false } = {}) {
    this.#mode = mode;
    const form = this.querySelector('form');
    form.className = `composer mode-${mode}`;
    for (const button of this.querySelectorAll('[data-mode]')) button.setAttribute('aria-pressed', String(button.dataset.mode === mode));
    form.body.placeholder = mode === 'note' ? 'Write an internal note (only agents see it; @name notifies a colleague)…' : 'Write a reply to the customer…';
    for (const button of this.querySelectorAll('.then-status')) button.hidden = mode === 'note';
    const mention = this.querySelector('hd-mention-picker');
    if (mention) mention.enabled = mode === 'note';
    this.setSendLabel();
    if (this.#typing.active) this.#typing.typed(mode, this.composing);
    if (!keepDraft) saveDraft(this.#ticketId, mode, form.body.value);
  }

  setSendLabel() {
    const text = this.#mode === 'note' ? 'Add note' : 'Send reply';
    this.querySelector('.send').textContent = this.#collided ? `${text} anyway` : text;
  }

  /** Takes the message out of the box and posts it when the undo window ends. */
  send(then = null) {
    const form = this.querySelector('form');
    const body = form.body.value.trim();
    const files = this.#files.files;
    if (!body && files.length === 0) return announce('Write a message or attach a file first.', 'error');
    const message = { kind: this.#mode, body, files, then, force: this.#collided, afterMessageId: this.lastMessageId, text: form.body.value };
    form.body.value = '';
    this.#files.clear();
    this.#typing.stop();
    const undo = this.querySelector('.undo-send');
    this.#pending = message;
    const what = message.kind === 'note' ? 'note' : 'reply';
    this.#delayed.start(undoSeconds(), () => { undo.hidden = true; return this.post(message); }, (left) => {
      undo.hidden = false;
      this.querySelector('.undo-text').textContent = `Sending your ${what} in ${left} s.`;
    });
    // The draft stays stored until the post succeeds: a reload inside the window loses nothing.
    if (message.kind === 'note') this.setMode('reply', { keepDraft: true });
  }

  /** "Undo": the waiting message goes back into the box, as it was. */
  undo() {
    const message = this.#pending;
    if (!this.#delayed.cancel()) return;
    this.querySelector('.undo-send').hidden = true;
    this.putBack(message);
    announce('Sending cancelled. Your message is back in the box.');
  }

  #pending = null;

  putBack(message) {
    this.setMode(message.kind);
    const box = this.querySelector('textarea');
    box.value = message.text;
    if (message.files.length) this.#files.add(message.files);
    box.focus();
    saveDraft(this.#ticketId, message.kind, message.text);
  }

  async post(message) {
    this.#pending = null;
    const data = messageForm({ kind: message.kind, body: message.body, afterMessageId: message.afterMessageId, force: message.force }, message.files);
    const progress = this.querySelector('progress');
    progress.hidden = message.files.length === 0;
    try {
      const posted = await upload(`/api/tickets/${this.#ticketId}/messages`, data, (fraction) => { progress.value = fraction; });
      clearDraft(this.#ticketId);
      if (this.querySelector('textarea').value.trim()) saveDraft(this.#ticketId, this.#mode, this.querySelector('textarea').value);
      this.#collided = false;
      this.querySelector('hd-collision-warning').clear();
      this.querySelector('.draft-state').textContent = '';
      announce(message.kind === 'note' ? 'Note added.' : 'Reply sent.');
      this.dispatchEvent(new CustomEvent('message-posted', { bubbles: true, detail: { message: posted, then: message.then } }));
    } catch (error) {
      this.putBack(message);
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
      this.setSendLabel();
    }
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'beforeunload') { if (this.composing || this.#delayed.pending) event.preventDefault(); return; }
    const action = target.closest?.('[data-action]')?.dataset.action;
    if (type === 'click' && target.dataset.mode) this.setMode(target.dataset.mode);
    else if (type === 'click' && target.dataset.then) this.send(target.dataset.then);
    else if (type === 'click' && action === 'undo') this.undo();
    else if (type === 'click' && action === 'send-now') this.#delayed.flush();
    else if (type === 'click' && target.dataset.remove) this.#files.remove(Number(target.dataset.remove));
    else if (type === 'change' && target.type === 'file') { this.#files.add(target.files); target.value = ''; }
    else if (type === 'submit') { event.preventDefault(); this.send(null); }
    else if (type === 'input' && target.name === 'body') this.typed();
    else if (type === 'keydown' && event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) { event.preventDefault(); this.send(null); }
    else if (type === 'keydown' && event.key === 'Escape' && target.name === 'body' && !event.defaultPrevented) {
      // Escape leaves the box (the draft stays), so the page's shortcuts work again.
      this.querySelector('form').focus();
    } else if (type === 'dragover' || type === 'dragleave' || type === 'drop') this.#files.dragged(event);
  }

  typed() {
    const text = this.querySelector('textarea').value;
    this.#typing.typed(this.#mode, this.composing);
    saveDraft(this.#ticketId, this.#mode, text);
    this.querySelector('.draft-state').textContent = text.trim() ? 'Draft saved' : '';
  }
}

const EVENTS = ['click', 'change', 'input', 'submit', 'dragover', 'dragleave', 'drop', 'keydown'];

export function define() {
  defineWarning();
  if (!customElements.get('hd-composer')) customElements.define('hd-composer', Composer);
}
