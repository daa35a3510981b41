import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';
import { showFieldError, clearFieldErrors, announce } from '../app/controls.js';

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_LOGO_BYTES = 512 * 1024;

/** Account name and logo (PNG, JPEG or WebP up to 512 KB) with a preview before upload. */
export class SettingsAccount extends HTMLElement {
  #preview = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('change', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('change', this);
    if (this.#preview) URL.revokeObjectURL(this.#preview);
  }

  async load() {
    const account = await api('/api/account');
    store.set({ account });
    render(html`
      <section aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <form class="card" data-form="name" novalidate>
          <div class="field"><label for="account-name">Help desk name</label><input id="account-name" name="name" value="${account.name}"></div>
          <button type="submit" class="button primary">Save name</button>
        </form>
        <h3 class="section-title">Logo</h3>
        <form class="card" data-form="logo" novalidate>
          <p class="muted">Shown on the customer portal. PNG, JPEG or WebP, at most 512 KB.</p>
          ${account.logoUrl ? html`<img class="logo-preview current-logo" src="${account.logoUrl}?v=${account.updatedAt}" alt="Current logo">` : html`<p class="muted">No logo yet.</p>`}
          <div class="field"><label for="account-logo">Choose an image</label>
            <input id="account-logo" name="logo" type="file" accept="${LOGO_TYPES.join(',')}"></div>
          <img class="logo-preview new-logo" alt="Preview of the new logo" hidden>
          <button type="submit" class="button primary">Upload logo</button>
        </form>
      </section>`, this);
  }

  async saveName(form) {
    clearFieldErrors(form);
    try {
      store.set({ account: await api('/api/account', { method: 'PATCH', body: { name: form.name.value.trim() } }) });
      announce('Account name saved.');
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  async saveLogo(form) {
    const file = form.logo.files[0];
    if (!file) return announce('Choose an image first.', 'error');
    if (!LOGO_TYPES.includes(file.type)) return announce('The logo must be a PNG, JPEG or WebP image.', 'error');
    if (file.size > MAX_LOGO_BYTES) return announce('The logo must be at most 512 KB.', 'error');
    try {
      await api('/api/account/logo', { method: 'PUT', body: file, headers: { 'Content-Type': file.type } });
      announce('Logo uploaded.');
      this.load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'submit') {
      event.preventDefault();
      if (target.dataset.form === 'name') this.saveName(target); else this.saveLogo(target);
    } else if (type === 'change' && target.name === 'logo' && target.files[0]) {
      if (this.#preview) URL.revokeObjectURL(this.#preview);
      this.#preview = URL.createObjectURL(target.files[0]);
      const image = this.querySelector('.new-logo');
      image.src = this.#preview;
      image.hidden = false;
    }
  }
}

export function define() {
  if (!customElements.get('hd-settings-account')) customElements.define('hd-settings-account', SettingsAccount);
}
