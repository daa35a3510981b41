import { html, render } from '../app/html.js';

const PRESETS = [
  ['last_7_days', 'Last 7 days'], ['last_30_days', 'Last 30 days'], ['last_90_days', 'Last 90 days'],
  ['this_month', 'This month'], ['last_month', 'Last month'], ['custom', 'Custom range'],
];

/**
 * The report range picker. Data down: `.value` ({ range, from, to }); up: a bubbling
 * `range-change` event with the same shape when the agent applies a choice.
 */
export class ReportRange extends HTMLElement {
  value = { range: 'last_30_days', from: '', to: '' };

  connectedCallback() {
    this.addEventListener('submit', this);
    this.addEventListener('change', this);
    this.update();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this);
    this.removeEventListener('change', this);
  }

  update() {
    const { range, from, to } = this.value;
    const custom = range === 'custom';
    render(html`<form class="filters report-range" aria-label="Report date range">
      <div class="filter"><label for="report-range">Date range</label>
        <select id="report-range" name="range">${PRESETS.map(([id, name]) => html`<option value="${id}" ${id === range ? html`selected` : ''}>${name}</option>`)}</select></div>
      <div class="filter" ${custom ? '' : html`hidden`}><label for="report-from">From</label>
        <input id="report-from" name="from" type="date" value="${from || ''}" ${custom ? html`required` : ''}></div>
      <div class="filter" ${custom ? '' : html`hidden`}><label for="report-to">To</label>
        <input id="report-to" name="to" type="date" value="${to || ''}" ${custom ? html`required` : ''}></div>
      <div class="filter"><button type="submit" class="button primary">Apply</button></div>
    </form>`, this);
  }

  handleEvent(event) {
    const form = this.querySelector('form');
    if (event.type === 'change' && event.target.name === 'range') {
      this.value = { ...this.value, range: event.target.value };
      this.update();
      this.querySelector(event.target.value === 'custom' ? '#report-from' : '#report-range').focus();
      return;
    }
    if (event.type !== 'submit') return;
    event.preventDefault();
    const data = new FormData(form);
    const range = data.get('range');
    const detail = range === 'custom' ? { range, from: data.get('from'), to: data.get('to') } : { range, from: '', to: '' };
    this.dispatchEvent(new CustomEvent('range-change', { detail, bubbles: true }));
  }
}

export function define() {
  if (!customElements.get('hd-report-range')) customElements.define('hd-report-range', ReportRange);
}
