// The SLA policy editor's data: the form's controls to the API's SLAPolicyInput, the
// blank policy a new one starts from, and the zones a policy may use.
import { PRIORITIES } from './format.js';

export const WEEKDAYS = [['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'], ['fri', 'Fri'], ['sat', 'Sat'], ['sun', 'Sun']];
export const TARGETS = [['firstResponse', 'First response', true], ['resolution', 'Resolution', true],
  ['nextResponse', 'Next response (optional: leave empty for none)', false]];

export const BLANK_POLICY = {
  name: '', firstResponse: { urgent: 60, high: 240, medium: 480, low: 1440 },
  resolution: { urgent: 240, high: 1440, medium: 2880, low: 5760 }, nextResponse: null,
  hours: { start: '09:00', end: '17:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', holidays: [], warningPercent: 25, isDefault: false,
};

/** Every IANA zone the browser knows, with `current` kept even when it does not. */
export function timeZones(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...zones].filter(Boolean))].sort();
}

/**
 * The length of one business day of `hours` in minutes (9:00-17:00 is 480); 1,440 when
 * start equals end (around the clock).
 */
export function businessDayMinutes(hours) {
  const minutes = (time) => { const [h, m] = String(time || '00:00').split(':').map(Number); return h * 60 + (m || 0); };
  const length = minutes(hours?.end) - minutes(hours?.start);
  return length === 0 ? 1440 : (length + 1440) % 1440;
}

/** Target units: business time, a day being the policy's business day. */
export const UNITS = [['minutes', 'business minutes'], ['hours', 'business hours'], ['days', 'business days']];

/** Minutes per `unit` for a business day of `dayMinutes`. */
export function unitMinutes(unit, dayMinutes) {
  return unit === 'days' ? dayMinutes : unit === 'hours' ? 60 : 1;
}

/** The largest unit that states `minutes` exactly, with the amount in it. */
export function bestUnit(minutes, dayMinutes) {
  if (!minutes) return ['hours', ''];
  if (minutes % dayMinutes === 0) return ['days', minutes / dayMinutes];
  if (minutes % 60 === 0) return ['hours', minutes / 60];
  return ['minutes', minutes];
}

/**
 * A target in business time, never an ambiguous "day": "3 business days", "4 business
 * hours", "90 business minutes" (a day is `dayMinutes` of business hours).
 */
export function businessTime(minutes, dayMinutes = 1440) {
  const value = Number(minutes);
  if (!minutes || !Number.isInteger(value) || value <= 0) return '';
  const [unit, amount] = bestUnit(value, dayMinutes);
  const name = UNITS.find(([key]) => key === unit)[1];
  return `${amount} ${amount === 1 ? name.replace(/s$/, '') : name}`;
}

/** The hint beside a target: its value in business time (with the minutes when it is not in minutes). */
export function minutesHint(value, dayMinutes = 1440) {
  const minutes = Number(value);
  if (!value || !Number.isInteger(minutes) || minutes <= 0) return '';
  const text = businessTime(minutes, dayMinutes);
  return text.endsWith('minutes') || text.endsWith('minute') ? text : `${text} (${minutes} business minutes)`;
}

/** A target's minutes from its amount and unit controls (0 when not a whole number of minutes). */
export function targetMinutes(form, name) {
  const amount = Number(form.elements.namedItem(name).value.trim());
  const unit = form.elements.namedItem(`${name}.unit`)?.value ?? 'minutes';
  const minutes = amount * unitMinutes(unit, businessDayMinutes({ start: form.elements.namedItem('hours.start')?.value, end: form.elements.namedItem('hours.end')?.value }));
  return Number.isInteger(minutes) ? minutes : Math.round(minutes);
}

function targets(form, key) {
  const values = PRIORITIES.map(([priority]) => [priority, form.elements.namedItem(`${key}.${priority}`).value.trim()]);
  if (key === 'nextResponse' && values.every(([, value]) => value === '')) return null;
  return Object.fromEntries(values.map(([priority]) => [priority, targetMinutes(form, `${key}.${priority}`) || 0]));
}

/** True for hours that cover the whole day (00:00 to 24:00; the server also reads start = end so). */
export function allDay(hours) {
  return (hours.start === '00:00' && hours.end === '24:00') || hours.start === hours.end;
}

/** A time input cannot show 24:00: midnight at the end of the day is 00:00 there. */
export function endInput(end) {
  return end === '24:00' ? '00:00' : end;
}

/** The SLAPolicyInput for the form's current controls and `holidays`. */
export function policyBody(form, holidays) {
  const value = (name) => form.elements.namedItem(name).value;
  return {
    name: value('name').trim(),
    firstResponse: targets(form, 'firstResponse'),
    resolution: targets(form, 'resolution'),
    nextResponse: targets(form, 'nextResponse'),
    hours: { ...(form.elements.namedItem('allDay').checked ? { start: '00:00', end: '24:00' }
      : { start: value('hours.start'), end: value('hours.end') === '00:00' ? '24:00' : value('hours.end') }),
      weekdays: [...form.querySelectorAll('input[name="weekday"]:checked')].map((box) => box.value) },
    timeZone: value('timeZone'),
    holidays: [...holidays].sort(),
    warningPercent: Number(value('warningPercent')) || 0,
    isDefault: form.elements.namedItem('isDefault').checked,
  };
}
