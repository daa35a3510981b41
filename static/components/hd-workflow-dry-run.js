import { html, render } from '../app/html.js';
import { api } from '../app/api.js';

/**
 * The builder's dry run: against an existing ticket (by reference) or a pasted raw email,
 * shows which conditions hold and what the actions would do. Changes nothing. Data down:
 * `.draft` (a function returning the builder's current API body).
 */
export class WorkflowDryRun extends HTMLElement {
  draft = () => ({});
  #against = 'email';
  #result = null;

  connectedCallback() {
    this.addEventListener('click', this);
    this.addEventListener('change', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('click', this);
    this.removeEventListener('change', this);
  }

  update() {
    const r = this.#result;
    render(html`<fieldset class="wf-part wf-dry-run"><legend>Dry run</legend>
      <label><input type="radio" name="wf-against" value="email" ${this.#against === 'email' ? html`checked` : ''}> A pasted email</label>
      <label><input type="radio" name="wf-against" value="ticket" ${this.#against === 'ticket' ? html`checked` : ''}> An existing ticket</label>
      ${this.#against === 'email'
        ? html`<div class="field"><label for="wf-dry-email">Raw email (headers, a blank line, the text)</label>
            <textarea id="wf-dry-email" rows="6" class="mono" placeholder="From: Ann &lt;ann@example.com&gt;&#10;Subject: Invoice 42&#10;&#10;Hello"></textarea></div>`
        : html`<div class="field"><label for="wf-dry-ticket">Ticket reference</label><input id="wf-dry-ticket" placeholder="TKT-001"></div>`}
      <button type="button" class="button" data-dry-run>Dry run</button>
      <div class="wf-dry-result" role="status" aria-live="polite">${r ? (r.error ? html`<p class="field-error">${r.error}</p>` : html`
        <p><strong>${r.matched ? 'The conditions hold: the workflow would run.' : 'The conditions do not hold: the workflow would not run.'}</strong></p>
        <ul>${r.conditions.map((c) => html`<li>${c.matched ? '✓' : '✗'} ${c.field} ${c.op.replace('_', ' ')} ${c.value ?? ''}</li>`)}</ul>
        ${r.matched ? html`<p>It would:</p><ol>${r.actions.map((a) => html`<li>${a}</li>`)}</ol>` : ''}`) : ''}</div></fieldset>`, this);
  }

  async run() {
    const body = this.draft();
    const request = { conditions: body.conditions, actions: body.actions };
    try {
      if (this.#against === 'email') {
        request.email = this.querySelector('#wf-dry-email').value.replace(/\r?\n/g, '\r\n');
      } else {
        const reference = this.querySelector('#wf-dry-ticket').value.trim();
        request.ticketId = (await api(`/api/tickets/by-reference/${encodeURIComponent(reference)}`)).id;
      }
      this.#result = await api('/api/workflows/dry-run', { method: 'POST', body: request });
    } catch (error) {
      this.#result = { error: error.message };
    }
    const kept = { email: this.querySelector('#wf-dry-email')?.value, ticket: this.querySelector('#wf-dry-ticket')?.value };
    this.update();
    if (kept.email !== undefined && this.querySelector('#wf-dry-email')) this.querySelector('#wf-dry-email').value = kept.email;
    if (kept.ticket !== undefined && this.querySelector('#wf-dry-ticket')) this.querySelector('#wf-dry-ticket').value = kept.ticket;
  }

  handleEvent(event) {
    if (event.type === 'change' && event.target.name === 'wf-against') {
      this.#against = event.target.value;
      this.#result = null;
      this.update();
    } else if (event.type === 'click' && 'dryRun' in event.target.dataset) {
      this.run();
    }
  }
}

export function define() {
  if (!customElements.get('hd-workflow-dry-run')) customElements.define('hd-workflow-dry-run', WorkflowDryRun);
}
