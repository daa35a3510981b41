import { html, render } from '../app/html.js';
import { announce, options } from '../app/controls.js';
import { UNDO_CHOICES, undoSeconds, setUndoSeconds } from '../app/drafts.js';
import { desktopSupported, desktopEnabled, setDesktop } from '../app/desktop-notifications.js';
import { listDensity, setListDensity } from '../app/list-layout.js';
import { define as definePrefs } from './hd-notification-prefs.js';

/**
 * The agent's own preferences (every signed-in agent): the notification kinds they
 * receive, grouped under the Help Desk heading as the product's settings are, and what
 * this browser keeps (desktop notifications, the "Undo send" window, list density).
 */
export class Preferences extends HTMLElement {
  connectedCallback() {
    document.title = 'Preferences · Help desk';
    const desktop = desktopEnabled();
    render(html`<section class="page narrow preferences" aria-labelledby="prefs-title">
      <h1 id="prefs-title">Preferences</h1>
      <section class="card" aria-labelledby="prefs-helpdesk">
        <h2 id="prefs-helpdesk">Help Desk</h2>
        <h3>Notifications</h3>
        <hd-notification-prefs></hd-notification-prefs>
        <h3>On this computer</h3>
        <label class="check-row"><input type="checkbox" name="desktop" ${desktop ? html`checked` : ''} ${desktopSupported() ? '' : html`disabled`}>
          Show desktop notifications while the help desk is in a background tab</label>
        <p class="hint desktop-state" aria-live="polite">${desktopSupported() ? '' : 'This browser cannot show desktop notifications.'}</p>
        <div class="field"><label for="pref-undo">Undo send</label>
          <select id="pref-undo" name="undo">${options(UNDO_CHOICES.map((s) => [String(s), s ? `${s} seconds to undo` : 'Off: send at once']), String(undoSeconds()))}</select></div>
        <div class="field"><label for="pref-density">Ticket list rows</label>
          <select id="pref-density" name="density">${options([['compact', 'Compact'], ['comfortable', 'Comfortable']], listDensity())}</select></div>
      </section>
    </section>`, this);
    this.addEventListener('change', this);
  }

  disconnectedCallback() { this.removeEventListener('change', this); }

  async handleEvent(event) {
    const { name } = event.target;
    if (name === 'undo') { setUndoSeconds(Number(event.target.value)); announce('Undo send saved.'); }
    else if (name === 'density') { setListDensity(event.target.value); announce('List rows saved.'); }
    else if (name === 'desktop') {
      const on = await setDesktop(event.target.checked);
      const asked = event.target.checked;
      event.target.checked = on;
      this.querySelector('.desktop-state').textContent = asked && !on
        ? 'The browser did not allow notifications for this site; allow them in its site settings.' : '';
      announce(on ? 'Desktop notifications are on.' : 'Desktop notifications are off.');
    }
  }
}

export function define() {
  definePrefs();
  if (!customElements.get('hd-preferences')) customElements.define('hd-preferences', Preferences);
}
