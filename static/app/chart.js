// Our own small SVG charts: grouped bar charts and line charts with axes, tick labels, a
// legend and an accessible name (<title>) and description (<desc>). Every text goes
// through the escaping `html` template. Each chart is meant to sit beside a table of the
// same numbers (report-tables.js), which is what screen readers and copying use.
import { html } from './html.js';

const BASE = { width: 720, height: 260, left: 52, right: 12, top: 14, bottom: 40 };
/** Pixels an x label may take before labels are thinned (every 2nd, 3rd, ... shown). */
const LABEL_PIXELS = 64;
let nextId = 0;

/**
 * A round axis maximum at or above `value` whose fifths are round too (1, 2 or 5 times a
 * power of ten, at least 5 so counts get whole-number ticks).
 */
export function niceMax(value) {
  if (!(value > 5)) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Tick labels: whole numbers as they are, others with one decimal. */
function plain(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function frame(SIZE, { title, description, legend, max, format }, body) {
  const id = `chart-${++nextId}`;
  const plotHeight = SIZE.height - SIZE.top - SIZE.bottom;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => ({ value: max * f, y: SIZE.top + plotHeight * (1 - f) }));
  return html`<figure class="chart">
    <svg width="${SIZE.width}" height="${SIZE.height}" viewBox="0 0 ${SIZE.width} ${SIZE.height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">
      <title id="${id}-title">${title}</title>
      <desc id="${id}-desc">${description}</desc>
      <g class="chart-grid">${ticks.map((t) => html`<line x1="${SIZE.left}" x2="${SIZE.width - SIZE.right}" y1="${t.y}" y2="${t.y}"></line>
        <text class="chart-tick" x="${SIZE.left - 6}" y="${t.y + 4}" text-anchor="end">${format(t.value)}</text>`)}</g>
      <line class="chart-axis" x1="${SIZE.left}" x2="${SIZE.left}" y1="${SIZE.top}" y2="${SIZE.top + plotHeight}"></line>
      <line class="chart-axis" x1="${SIZE.left}" x2="${SIZE.width - SIZE.right}" y1="${SIZE.top + plotHeight}" y2="${SIZE.top + plotHeight}"></line>
      ${body}
    </svg>
    ${legend.length > 1 ? html`<figcaption class="chart-legend">${legend.map((name, i) => html`<span><i class="swatch series-${i}"></i>${name}</span>`)}</figcaption>` : ''}
  </figure>`;
}

function xLabels(SIZE, labels, centre) {
  const room = (SIZE.width - SIZE.left - SIZE.right) / LABEL_PIXELS;
  const step = Math.max(1, Math.ceil(labels.length / room));
  const y = SIZE.height - SIZE.bottom + 16;
  return labels.map((label, i) => (i % step === 0
    ? html`<text class="chart-label" x="${centre(i)}" y="${y}" text-anchor="middle">${label}</text>` : ''));
}

function scale(SIZE, series) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null && v !== undefined))));
  const plotHeight = SIZE.height - SIZE.top - SIZE.bottom;
  return { max, y: (v) => SIZE.top + plotHeight * (1 - v / max), plotWidth: SIZE.width - SIZE.left - SIZE.right };
}

/**
 * A grouped bar chart. `labels` name the categories along x; `series` is
 * [{ name, values }] with one value per label (null draws no bar); `format` labels
 * the y axis and the bar tooltips; `width` is the drawing's width in CSS pixels (the
 * chart shrinks with a narrower screen, never grows, so text stays 11 px).
 */
export function barChart({ title, description, labels, series, format = plain, width = BASE.width }) {
  const SIZE = { ...BASE, width };
  const { max, y, plotWidth } = scale(SIZE, series);
  const group = plotWidth / Math.max(labels.length, 1);
  const bar = (group * 0.8) / series.length;
  const base = SIZE.top + (SIZE.height - SIZE.top - SIZE.bottom);
  const centre = (i) => SIZE.left + group * i + group / 2;
  const bars = series.map((s, k) => s.values.map((v, i) => (v === null || v === undefined ? '' : html`<rect class="series-${k}"
    x="${(SIZE.left + group * i + group * 0.1 + bar * k).toFixed(2)}" y="${y(v).toFixed(2)}" width="${bar.toFixed(2)}"
    height="${(base - y(v)).toFixed(2)}"><title>${labels[i]}, ${s.name}: ${format(v)}</title></rect>`)));
  return frame(SIZE, { title, description, legend: series.map((s) => s.name), max, format }, html`${bars}${xLabels(SIZE, labels, centre)}`);
}

/** A line chart over `labels` with one line per series ([{ name, values }]). */
export function lineChart({ title, description, labels, series, format = plain, width = BASE.width }) {
  const SIZE = { ...BASE, width };
  const { max, y, plotWidth } = scale(SIZE, series);
  const x = (i) => SIZE.left + (labels.length > 1 ? (plotWidth * i) / (labels.length - 1) : plotWidth / 2);
  const lines = series.map((s, k) => {
    const points = s.values.map((v, i) => (v === null || v === undefined ? null : [x(i), y(v)])).filter(Boolean);
    const path = points.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(2)} ${py.toFixed(2)}`).join(' ');
    return html`<path class="chart-line series-${k}" d="${path}"></path>${s.values.map((v, i) => (v === null || v === undefined ? ''
      : html`<circle class="series-${k}" cx="${x(i).toFixed(2)}" cy="${y(v).toFixed(2)}" r="3"><title>${labels[i]}, ${s.name}: ${format(v)}</title></circle>`))}`;
  });
  return frame(SIZE, { title, description, legend: series.map((s) => s.name), max, format }, html`${lines}${xLabels(SIZE, labels, x)}`);
}
