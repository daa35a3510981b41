import { html, render } from '../app/html.js';
import { fileSize } from '../app/format.js';
import { portalApi } from './portal-api.js';
import { solveCaptcha } from './captcha.js';

/** Files above this are refused here before upload, as the server would (10 MB each). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 5;
const MAX_CHARACTERS = 20_000;

/**
 * The requester's reply form: text and up to five files of 10 MB each, with the spam
 * checks (a proof of work solved on send, and a honeypot field people never see).
 * Up: `reply-sent` with `{message}` once the server stored it.
 */
export class PortalReply extends HTMLElement {
  connectedCallback() {
    render(html`<form class="card portal-reply" novalidate>
      <h2 id="reply-title">Reply</h2>
      <label for="reply-body">Your message</label>
      <textarea id="reply-body" name="body" rows="5" maxlength="${MAX_CHARACTERS}" aria-describedby="reply-error"></textarea>
      <label for="reply-files">Attach files <span class="muted">(up to ${MAX_FILES}, 10 MB each)</span></label>
      <input id="reply-files" name="attachments" type="file" multiple>
      <div class="trap" aria-hidden="true"><label for="reply-website">Website</label>
        <input id="reply-website" name="website" tabindex="-1" autocomplete="off"></div>
      <p id="reply-error" class="field-error" role="alert"></p>
      <button type="submit" class="button primary">Send reply</button>
      <p class="visually-hidden" role="status" aria-live="polite" id="reply-status"></p>
    </form>`, this);
    this.addEventListener('submit', this);
  }

  disconnectedCallback() { this.removeEventListener('submit', this); }

  /** The reason the form cannot be sent as it is, or ''. */
  problem(form) {
    const files = [...form.attachments.files];
    if (!form.body.value.trim() && !files.length) return 'Write a message or attach a file.';
    if (files.length > MAX_FILES) return `Attach at most ${MAX_FILES} files.`;
    const big = files.find((file) => file.size > MAX_FILE_BYTES);
    return big ? `${big.name} is ${fileSize(big.size)}; files can be up to 10 MB.` : '';
  }

  async handleEvent(event) {
    event.preventDefault();
    const form = event.target;
    const error = this.querySelector('#reply-error');
    const problem = this.problem(form);
    error.textContent = problem;
    form.body.setAttribute('aria-invalid', problem ? 'true' : 'false');
    if (problem) return form.body.focus();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    const status = this.querySelector('#reply-status');
    try {
      status.textContent = 'Sending…';
      const body = this.formData(form, await solveCaptcha());
      const message = await portalApi('/api/portal/messages', { method: 'POST', body });
      form.reset();
      status.textContent = 'Your reply was sent.';
      this.dispatchEvent(new CustomEvent('reply-sent', { bubbles: true, detail: { message } }));
    } catch (failure) {
      status.textContent = '';
      error.textContent = failure.message;
      form.body.focus();
    } finally {
      button.disabled = false;
    }
  }

  /** The multipart body: the text, each picked file, the honeypot and the solved check. */
  formData(form, captcha) {
    const data = new FormData();
    data.append('body', form.body.value);
    data.append('website', form.website.value);
    for (const [name, value] of Object.entries(captcha)) data.append(name, value);
    for (const file of form.attachments.files) data.append('attachments', file, file.name);
    return data;
  }
}

export function define() {
  if (!customElements.get('hd-portal-reply')) customElements.define('hd-portal-reply', PortalReply);
}
