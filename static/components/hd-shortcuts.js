import { html, render } from '../app/html.js';
import { SHORTCUTS } from '../app/shortcuts.js';

/**
 * The keyboard shortcuts overlay (`?`): a modal dialog listing every shortcut by screen.
 * Escape or "Close" ends it and focus returns where it was.
 */
export class ShortcutsDialog extends HTMLElement {
  #returnTo = null;

  open() {
    this.#returnTo = document.activeElement;
    render(html`<dialog class="dialog shortcuts-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      ${SHORTCUTS.map((group) => html`<h3>${group.screen}</h3><dl class="shortcut-list">
        ${group.keys.map(([key, text]) => html`<div><dt>${key.split(' then ').map((part, i) => html`${i ? ' then ' : ''}<kbd>${part}</kbd>`)}</dt><dd>${text}</dd></div>`)}</dl>`)}
      <p class="muted">Shortcuts do nothing while you type in a field.</p>
      <form method="dialog" class="dialog-actions"><button class="button primary" autofocus>Close</button></form>
    </dialog>`, this);
    const dialog = this.querySelector('dialog');
    dialog.addEventListener('close', () => { this.replaceChildren(); this.#returnTo?.focus?.(); }, { once: true });
    dialog.showModal();
  }
}

export function define() {
  if (!customElements.get('hd-shortcuts')) customElements.define('hd-shortcuts', ShortcutsDialog);
}

/** Opens the overlay (one at a time). */
export function showShortcuts() {
  define();
  let element = document.querySelector('hd-shortcuts');
  if (!element) { element = document.createElement('hd-shortcuts'); document.body.append(element); }
  if (!element.querySelector('dialog[open]')) element.open();
}
