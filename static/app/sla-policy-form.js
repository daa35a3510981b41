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

/** "4 h", "1 h 30 min", "2 days" for a number of minutes (the hint beside each target). */
export function minutesHint(value) {
  const minutes = Number(value);
  if (!value || !Number.isInteger(minutes) || minutes <= 0) return '';
  const days = Math.floor(minutes / 1440); const hours = Math.floor((minutes % 1440) / 60); const rest = minutes % 60;
  return [days && `${days} ${days === 1 ? 'day' : 'days'}`, hours && `${hours} h`, rest && `${rest} min`].filter(Boolean).join(' ');
}

function targets(form, key) {
  const values = PRIORITIES.map(([priority]) => [priority, form.elements.namedItem(`${key}.${priority}`).value.trim()]);
  if (key === 'nextResponse' && values.every(([, value]) => value === '')) return null;
  return Object.fromEntries(values.map(([priority, value]) => [priority, Number(value) || 0]));
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
