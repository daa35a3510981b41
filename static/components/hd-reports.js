import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { navigate } from '../app/router.js';
import { SECTIONS, renderSection } from '../app/report-sections.js';
import { define as defineRange } from './hd-report-range.js';

/**
 * Reports (loaded on demand; needs reports.view): section tabs, the range picker and the
 * chosen section of GET /api/reports. The section and range live in the URL
 * (`/reports?section=trends&range=custom&from=…&to=…`), so a report can be bookmarked.
 */
export class Reports extends HTMLElement {
  params = {};
  #loading = 0;

  connectedCallback() {
    this.addEventListener('range-change', this);
    document.title = 'Reports · Help desk';
    this.routeChanged();
  }

  disconnectedCallback() {
    this.removeEventListener('range-change', this);
  }

  query() {
    const search = new URLSearchParams(location.search);
    return { section: search.get('section') || 'overview', range: search.get('range') || 'last_30_days',
      from: search.get('from') || '', to: search.get('to') || '' };
  }

  link(changes) {
    const q = { ...this.query(), ...changes };
    const search = new URLSearchParams({ section: q.section, range: q.range });
    if (q.range === 'custom') { search.set('from', q.from); search.set('to', q.to); }
    return `/reports?${search}`;
  }

  /** The range as the API's query string. */
  apiQuery(q) {
    const search = new URLSearchParams({ range: q.range });
    if (q.range === 'custom') { search.set('from', q.from); search.set('to', q.to); }
    return search.toString();
  }

  async routeChanged() {
    const q = this.query();
    const loading = ++this.#loading;
    // Re-rendering replaces the controls: keep the keyboard where it was (the range select, a tab).
    const focused = this.contains(document.activeElement) ? (document.activeElement.id || document.activeElement.textContent) : null;
    this.renderFrame(q, html`<p class="loading" role="status">Loading the report…</p>`);
    this.refocus(focused);
    try {
      const report = await api(`/api/reports?${this.apiQuery(q)}`);
      if (loading !== this.#loading) return;
      this.renderFrame(q, renderSection(q.section, report), report.range);
      this.refocus(focused);
    } catch (error) {
      if (loading !== this.#loading) return;
      this.renderFrame(q, html`<div class="error-state" role="alert">${error.message}</div>`);
    }
  }

  refocus(key) {
    if (!key) return;
    const target = [...this.querySelectorAll('select, input, button, .report-tabs a')]
      .find((element) => element.id === key || element.textContent === key);
    target?.focus();
  }

  renderFrame(q, body, range) {
    render(html`<section class="page reports" aria-labelledby="reports-title">
      <div class="page-head"><a class="help-link" href="/help/reports" aria-label="User guide for this screen" title="User guide for this screen">?</a><h1 id="reports-title">Reports</h1>
        ${range ? html`<span class="muted report-period">${range.firstDay} to ${range.lastDay} (${range.timeZone})</span>` : ''}</div>
      <div class="report-actions"><div class="report-range-slot"></div>
        <a class="button" href="/api/reports/export.csv?${this.apiQuery(q)}" download>Export CSV</a>
        <a class="button" href="/api/reports/export.pdf?${this.apiQuery(q)}" download>Export PDF</a></div>
      <nav class="presets report-tabs" aria-label="Report sections">${SECTIONS.map((s) => html`<a href="${this.link({ section: s.id })}"
        ${s.id === q.section ? html`aria-current="page"` : ''}>${s.name}</a>`)}</nav>
      <div class="report-body">${body}</div>
    </section>`, this);
    const picker = document.createElement('hd-report-range');
    picker.value = { range: q.range, from: q.from, to: q.to };
    this.querySelector('.report-range-slot').append(picker);
  }

  handleEvent(event) {
    if (event.type === 'range-change') navigate(this.link(event.detail));
  }
}

export function define() {
  defineRange();
  if (!customElements.get('hd-reports')) customElements.define('hd-reports', Reports);
}
