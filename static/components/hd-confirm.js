import { html, render } from '../app/html.js';

/**
 * A modal confirmation (native <dialog>: focus is trapped, Escape cancels, Enter
 * presses the focused confirm button). Use `confirmAction({...})`, which resolves true
 * when the agent confirms.
 */
export class ConfirmDialog extends HTMLElement {
  #resolve = null;

  ask({ title, message, confirmLabel = 'Confirm', danger = false }) {
    render(html`
      <dialog class="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <form method="dialog">
          <h2 id="confirm-title">${title}</h2>
          <p id="confirm-message">${message}</p>
          <div class="dialog-actions">
            <button type="submit" value="cancel" class="button">Cancel</button>
            <button type="submit" value="confirm" class="button ${danger ? 'danger' : 'primary'}" autofocus>${confirmLabel}</button>
          </div>
        </form>
      </dialog>`, this);
    const dialog = this.querySelector('dialog');
    dialog.addEventListener('close', this);
    dialog.showModal();
    return new Promise((resolve) => { this.#resolve = resolve; });
  }

  handleEvent(event) {
    const dialog = event.currentTarget;
    dialog.removeEventListener('close', this);
    this.#resolve?.(dialog.returnValue === 'confirm');
    this.#resolve = null;
    this.remove();
  }
}

export function define() {
  if (!customElements.get('hd-confirm')) customElements.define('hd-confirm', ConfirmDialog);
}

/** Asks the agent to confirm; resolves true on confirm, false on cancel or Escape. */
export function confirmAction(options) {
  define();
  const element = document.createElement('hd-confirm');
  document.body.append(element);
  return element.ask(options);
}
