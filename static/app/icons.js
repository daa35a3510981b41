// Small inline SVG icons (currentColor, 1em), so a symbol never depends on the fonts of
// the machine (the pause sign showed as an empty box on Debian). Decorative: aria-hidden.
import { html } from './html.js';

const PATHS = {
  check: '<path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>',
  cross: '<path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
  warning: '<path d="M8 1.8L15 14H1z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><path d="M8 6v4" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="12" r="1" fill="currentColor"/>',
  pause: '<rect x="3.5" y="3" width="3" height="10" rx="1" fill="currentColor"/><rect x="9.5" y="3" width="3" height="10" rx="1" fill="currentColor"/>',
  dash: '<path d="M4 8h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
  bell: '<path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1.3 1.5H2.7z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M6.5 14.2a1.6 1.6 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>',
  clock: '<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 4.5V8l2.5 1.8" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
};

/** The icon `name` as inline SVG markup (our own constant paths, never user input). */
export function icon(name) {
  const path = PATHS[name] ?? PATHS.dash;
  return html([`<svg class="icon icon-${name}" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${path}</svg>`]);
}
