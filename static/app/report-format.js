// Number formats of the Reports screen.

/** Seconds as a short duration ("45 min", "5.5 h", "2.3 d"); null as an em dash. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** Hours for chart axes (durations are charted in hours). */
export function hours(seconds) {
  return seconds === null || seconds === undefined ? null : seconds / 3600;
}

/** A percentage with one decimal; null as an em dash. */
export function percent(value) {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} %`;
}

/** An average CSAT score with two decimals ("4.25"); null as an em dash. */
export function score(value) {
  return value === null || value === undefined ? '—' : value.toFixed(2);
}

/** A count with thousands separators. */
export function count(value) {
  return Number(value).toLocaleString('en');
}
