import { html, render } from '../app/html.js';
import { api } from '../app/api.js';
import { options, showFieldError, clearFieldErrors, announce } from '../app/controls.js';
import { PRIORITIES } from '../app/format.js';
import { BLANK_POLICY, TARGETS, WEEKDAYS, UNITS, timeZones, minutesHint, policyBody, allDay, endInput, bestUnit, businessDayMinutes, targetMinutes } from '../app/sla-policy-form.js';

/**
 * Creates or edits one SLA policy. Data down: `.policy` (null for a new one).
 * Server validation errors appear at their field. Emits `policy-saved` {policy} and `policy-cancel`.
 */
export class SlaPolicyForm extends HTMLElement {
  policy = null;
  #holidays = [];

  connectedCallback() {
    for (const type of ['submit', 'click', 'input', 'change']) this.addEventListener(type, this);
    this.#holidays = [...(this.policy?.holidays ?? [])];
    this.update();
  }

  disconnectedCallback() {
    for (const type of ['submit', 'click', 'input', 'change']) this.removeEventListener(type, this);
  }

  /** One target per priority: an amount and its unit of business time, with the hint in words. */
  targetGroup([key, legend, required], p) {
    const day = businessDayMinutes(p.hours);
    return html`<fieldset><legend>${legend}</legend><div class="target-grid">${PRIORITIES.map(([priority, name]) => {
      const minutes = p[key]?.[priority] ?? '';
      const [unit, amount] = bestUnit(minutes, day);
      return html`<div class="field"><label for="t-${key}-${priority}">${name}</label>
        <span class="target-input"><input id="t-${key}-${priority}" name="${key}.${priority}" type="number" min="1" step="1" inputmode="numeric"
          value="${amount}" ${required ? html`required` : ''} aria-describedby="hint-${key}-${priority}">
        <select name="${key}.${priority}.unit" aria-label="${name} ${legend.split(' (')[0].toLowerCase()} unit">${options(UNITS, unit)}</select></span>
        <span class="target-hint" id="hint-${key}-${priority}" data-hint-for="${key}.${priority}">${minutesHint(minutes, day)}</span></div>`;
    })}</div></fieldset>`;
  }

  /** Rewrites every target's hint (an amount, a unit or the business day changed). */
  showHints() {
    const form = this.querySelector('form');
    const day = businessDayMinutes({ start: form.elements.namedItem('hours.start').value, end: form.elements.namedItem('hours.end').value });
    for (const hint of this.querySelectorAll('[data-hint-for]')) {
      const name = hint.dataset.hintFor;
      hint.textContent = form.elements.namedItem(name).value.trim() ? minutesHint(targetMinutes(form, name), day) : '';
    }
  }

  update() {
    const p = this.policy ?? BLANK_POLICY;
    const fresh = !this.policy;
    render(html`<form class="card policy-form" novalidate aria-labelledby="policy-form-title">
      <h3 id="policy-form-title">${fresh ? 'New SLA policy' : `Edit ${p.name}`}</h3>
      <div class="field"><label for="policy-name">Name</label><input id="policy-name" name="name" value="${p.name}" required maxlength="100"></div>
      ${TARGETS.map((group) => this.targetGroup(group, p))}
      <fieldset><legend>Business hours</legend>
        <label class="check-label"><input type="checkbox" id="policy-all-day" name="allDay" ${allDay(p.hours) ? html`checked` : ''}>
          All day (00:00 to 24:00)</label>
        <div class="form-row" id="policy-times" ${allDay(p.hours) ? html`hidden` : ''}>
          <div class="field"><label for="policy-start">Start</label><input id="policy-start" name="hours.start" type="time" value="${p.hours.start}"></div>
          <div class="field"><label for="policy-end">End</label><input id="policy-end" name="hours.end" type="time" value="${endInput(p.hours.end)}"
            aria-describedby="policy-end-hint"></div>
          <p class="muted" id="policy-end-hint">An end of 00:00 is midnight at the end of the day (24:00); an end before the start runs overnight.</p>
        </div>
        <div class="weekday-row" role="group" aria-label="Working days" id="policy-weekdays" data-field="hours.weekdays" tabindex="-1">
          ${WEEKDAYS.map(([day, name]) => html`<label><input type="checkbox" name="weekday" value="${day}"
            ${p.hours.weekdays.includes(day) ? html`checked` : ''}> ${name}</label>`)}</div>
        <div class="field"><label for="policy-zone">Time zone</label>
          <select id="policy-zone" name="timeZone">${options(timeZones(p.timeZone).map((zone) => [zone, zone]), p.timeZone)}</select></div>
      </fieldset>
      <fieldset><legend>Holidays (no business hours)</legend>
        <ul class="holiday-list">${this.#holidays.map((day) => html`<li class="chip">${day}
          <button type="button" class="chip-remove" data-remove-holiday="${day}" aria-label="Remove holiday ${day}">×</button></li>`)}</ul>
        <div class="form-row"><div class="field"><label for="policy-holiday">Date</label>
          <input id="policy-holiday" name="holidays" type="date" data-field="holidays"></div>
          <button type="button" class="button" data-action="add-holiday">Add holiday</button></div>
      </fieldset>
      <div class="form-row">
        <div class="field"><label for="policy-warning">Warn when time left is at most (% of target)</label>
          <input id="policy-warning" name="warningPercent" type="number" min="1" max="99" value="${p.warningPercent}"></div>
        <label class="check-label"><input type="checkbox" id="policy-default" name="isDefault" ${p.isDefault ? html`checked` : ''}>
          Default policy (applies to new tickets)</label>
      </div>
      <div class="form-row"><button type="submit" class="button primary">${fresh ? 'Create policy' : 'Save policy'}</button>
        <button type="button" class="button subtle" data-action="cancel">Cancel</button></div>
    </form>`, this);
  }

  async save(form) {
    clearFieldErrors(form);
    const body = policyBody(form, this.#holidays);
    try {
      const policy = this.policy
        ? await api(`/api/sla-policies/${this.policy.id}`, { method: 'PATCH', body })
        : await api('/api/sla-policies', { method: 'POST', body });
      announce(`${policy.name} saved.`);
      this.dispatchEvent(new CustomEvent('policy-saved', { detail: { policy }, bubbles: true }));
    } catch (error) {
      if (!showFieldError(form, error)) announce(error.message, 'error');
    }
  }

  addHoliday() {
    const input = this.querySelector('#policy-holiday');
    if (!input.value || this.#holidays.includes(input.value)) return;
    this.#holidays = [...this.#holidays, input.value].sort();
    this.renderHolidays(`Holiday ${input.value} added.`);
    input.value = '';
  }

  renderHolidays(message) {
    render(this.#holidays.map((day) => html`<li class="chip">${day}
      <button type="button" class="chip-remove" data-remove-holiday="${day}" aria-label="Remove holiday ${day}">×</button></li>`),
    this.querySelector('.holiday-list'));
    announce(message);
  }

  handleEvent(event) {
    const target = event.target;
    if (event.type === 'submit') { event.preventDefault(); this.save(target); }
    else if (event.type === 'input' && target.name === 'allDay') { this.querySelector('#policy-times').hidden = target.checked; this.showHints(); }
    else if ((event.type === 'input' || event.type === 'change') && target.name?.includes('.')) {
      this.showHints();
    } else if (event.type === 'click' && target.closest('[data-remove-holiday]')) {
      const day = target.closest('[data-remove-holiday]').dataset.removeHoliday;
      this.#holidays = this.#holidays.filter((known) => known !== day);
      this.renderHolidays(`Holiday ${day} removed.`);
    } else if (event.type === 'click' && target.dataset.action === 'add-holiday') this.addHoliday();
    else if (event.type === 'click' && target.dataset.action === 'cancel') {
      this.dispatchEvent(new CustomEvent('policy-cancel', { bubbles: true }));
    }
  }
}

export function define() {
  if (!customElements.get('hd-sla-policy-form')) customElements.define('hd-sla-policy-form', SlaPolicyForm);
}
