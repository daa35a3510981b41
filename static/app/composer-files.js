// The composer's attachments before sending: picked or dropped files, each at most 10 MB
// (larger ones are named in the composer's error and never uploaded), listed with a
// Remove button; and the multipart body that sends them with the message.
import { html, render } from './html.js';
import { MAX_ATTACHMENT_BYTES } from './upload.js';
import { fileSize } from './format.js';

export class ComposerFiles {
  #composer;
  #files = [];

  /** Keeps the files for `composer` (hd-composer: `.pending-files`, `.composer-error`, `form`). */
  constructor(composer) { this.#composer = composer; }

  /** The files to send, in the order added. */
  get files() { return this.#files; }

  /** Adds `list` (a FileList), refusing files over the limit with a message. */
  add(list) {
    const error = this.#composer.querySelector('.composer-error');
    const tooBig = [...list].filter((file) => file.size > MAX_ATTACHMENT_BYTES);
    error.hidden = tooBig.length === 0;
    error.textContent = tooBig.map((file) => `${file.name} is ${fileSize(file.size)}; files can be at most 10 MB.`).join(' ');
    this.#files = [...this.#files, ...[...list].filter((file) => file.size <= MAX_ATTACHMENT_BYTES)];
    this.show();
  }

  remove(index) {
    this.#files = this.#files.filter((_, i) => i !== index);
    this.show();
  }

  clear() {
    this.#files = [];
    this.show();
  }

  show() {
    render(this.#files.map((file, index) => html`<li>${file.name} <span class="muted">${fileSize(file.size)}</span>
      <button type="button" class="link-button" data-remove="${index}" aria-label="Remove ${file.name}">Remove</button></li>`),
    this.#composer.querySelector('.pending-files'));
  }

  /** Drag and drop onto the composer's form: `dragover`, `dragleave`, `drop`. */
  dragged(event) {
    const form = this.#composer.querySelector('form');
    if (event.type === 'dragover') {
      event.preventDefault();
      form.classList.add('dragging');
    } else if (event.type === 'dragleave') {
      form.classList.remove('dragging');
    } else if (event.type === 'drop') {
      event.preventDefault();
      form.classList.remove('dragging');
      this.add(event.dataTransfer.files);
    }
  }
}

/** The multipart body of POST /api/tickets/:id/messages (NewMessageForm) for a message with `files`. */
export function messageForm({ kind, body, afterMessageId, force }, files) {
  const data = new FormData();
  data.set('kind', kind);
  data.set('body', body);
  if (afterMessageId) data.set('afterMessageId', String(afterMessageId));
  if (force) data.set('force', 'true');
  files.forEach((file) => data.append('attachments', file, file.name));
  return data;
}
