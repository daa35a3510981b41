import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { FIELDS, fieldsOf, same, shown, fieldName } from '../app/ticket-field-values.js';

/**
 * The edit conflict view: another agent saved the ticket first (409). Shows the agent's
 * values next to the saved ones for the fields either side changed. Data down: `.base`
 * (the ticket the agent edited), `.conflict` {theirs, mine}; nothing shown without a
 * conflict. Emits `conflict-choice` {choice: 'theirs' | 'mine'}.
 */
export class TicketConflict extends HTMLElement {
  base = null;
  conflict = null;

  connectedCallback() { this.addEventListener('click', this); }

  disconnectedCallback() { this.removeEventListener('click', this); }

  update() {
    if (!this.conflict) return render('', this);
    const { theirs, mine } = this.conflict;
    const current = fieldsOf(theirs);
    const before = fieldsOf(this.base);
    const keys = FIELDS.filter((key) => key in mine || !same(before[key], current[key]));
    const yours = (key) => (key in mine ? mine[key] : before[key]);
    const agents = store.state.agents;
    render(html`<section class="conflict" role="alert" aria-labelledby="conflict-title">
      <h3 id="conflict-title">Someone else changed this ticket</h3>
      <p>Another agent saved ${theirs.reference} while you were editing. Your changes are not lost:</p>
      <table><thead><tr><th scope="col">Field</th><th scope="col">Yours</th><th scope="col">Now saved</th></tr></thead>
        <tbody>${keys.map((key) => html`<tr><th scope="row">${fieldName(key)}</th>
          <td>${shown(key, yours(key), agents)}</td><td>${shown(key, current[key], agents)}</td></tr>`)}</tbody></table>
      <p class="hint">Applying yours changes only the fields you edited; their other changes stay.</p>
      <div class="dialog-actions">
        <button type="button" class="button" data-choice="theirs">Keep their version</button>
        <button type="button" class="button primary" data-choice="mine">Apply my changes</button>
      </div></section>`, this);
  }

  handleEvent(event) {
    const choice = event.target.closest('[data-choice]')?.dataset.choice;
    if (choice) this.dispatchEvent(new CustomEvent('conflict-choice', { bubbles: true, detail: { choice } }));
  }
}

export function define() {
  if (!customElements.get('hd-ticket-conflict')) customElements.define('hd-ticket-conflict', TicketConflict);
}
