// "Undo" after a change that already happened (a bulk change, a board move): a bar at the
// bottom of the screen says what was done and offers Undo for a few seconds. It never
// takes focus (the agent keeps their place); it is announced politely and reachable by Tab.
import { html, render } from './html.js';

/** How long the offer stays: enough to notice the slip and reach the button. */
const OFFER_MS = 10_000;
let current = null;

/** Shows `message` with an Undo button calling `undo()`; a newer offer replaces an older one. */
export function offerUndo(message, undo, ms = OFFER_MS) {
  current?.remove();
  const bar = document.createElement('div');
  bar.className = 'undo-bar';
  bar.setAttribute('role', 'status');
  render(html`<span>${message}</span><button type="button" class="button small" data-undo>Undo</button>
    <button type="button" class="link-button" data-dismiss aria-label="Dismiss">×</button>`, bar);
  const timer = setTimeout(() => bar.remove(), ms);
  bar.addEventListener('click', async (event) => {
    if (event.target.closest('[data-dismiss]')) { clearTimeout(timer); bar.remove(); return; }
    if (!event.target.closest('[data-undo]')) return;
    clearTimeout(timer);
    bar.remove();
    await undo();
  });
  document.body.append(bar);
  current = bar;
  return bar;
}
