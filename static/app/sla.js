// SLA display: status names, "2h 15m left" / "overdue 35m" from a due time, the badge
// used by the list, the board and the ticket page, and ONE shared 30 s ticker that
// rewrites every shown relative time in place (no per-card timers, no refetching).
import { html } from './html.js';
import { icon } from './icons.js';

export const SLA_STATUSES = [['on_track', 'On track'], ['breaching', 'Breaching'], ['breached', 'Breached'],
  ['paused', 'Paused'], ['met', 'Met'], ['none', 'No SLA']];
const NAMES = new Map(SLA_STATUSES);
const ICONS = { on_track: 'clock', breaching: 'warning', breached: 'cross', paused: 'pause', met: 'check', none: 'dash' };
export const METRICS = [['first_response', 'First response'], ['next_response', 'Next response'], ['resolution', 'Resolution']];

const TICK_MS = 30_000;
let skewMs = 0; // how far the server's clock is known to be ahead of ours (from event instants)
let ticker = null;

/** Now, on the server's clock as far as we know it. */
export function serverNow() { return Date.now() + skewMs; }

/** Notes an instant the server reported as passed (an SLA event's `at`), so our "now" is never before it. */
export function noteServerInstant(iso) {
  const ahead = new Date(iso).getTime() - Date.now();
  if (Number.isFinite(ahead) && ahead > skewMs) { skewMs = ahead; tick(); }
}

export function slaName(status) { return NAMES.get(status) ?? status ?? ''; }
export function metricName(metric) { return new Map(METRICS).get(metric) ?? metric; }

/** "2h 15m", "3d 4h", "45m", "<1m" for a span in milliseconds. */
export function span(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return '<1m';
  const d = Math.floor(minutes / 1440); const h = Math.floor((minutes % 1440) / 60); const m = minutes % 60;
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  return h ? (m ? `${h}h ${m}m` : `${h}h`) : `${m}m`;
}

/** "2h 15m left" or "overdue 35m" for a due time (always "overdue" once the server says breached). */
export function timeLeft(dueAt, now = serverNow(), breached = false) {
  const ms = new Date(dueAt).getTime() - now;
  if (breached || ms < 0) return `overdue ${span(Math.min(ms, 0))}`;
  return `${span(ms)} left`;
}

/** The running metric with the nearest due time, or null. */
export function nearestMetric(sla) {
  const running = (sla?.metrics || []).filter((metric) => metric.running && metric.dueAt);
  return running.sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0] ?? null;
}

/** A ticking relative time: `<time data-due>` the shared ticker rewrites. */
export function dueTime(dueAt, breached = false) {
  ensureTicker();
  return html`<time class="sla-left" datetime="${dueAt}" data-due="${dueAt}" ${breached ? html`data-breached` : ''}>${timeLeft(dueAt, serverNow(), breached)}</time>`;
}

/** The SLA indicator: colour plus icon plus text plus time left; '' without an SLA. */
export function slaBadge(ticket) {
  const sla = ticket.sla;
  if (!sla || !sla.status || sla.status === 'none') return '';
  const breached = (sla.metrics || []).filter((m) => m.breached && !m.met && m.dueAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  const metric = sla.status === 'breached' ? breached : (['on_track', 'breaching'].includes(sla.status) ? nearestMetric(sla) : null);
  const due = metric?.dueAt ?? null;
  return html`<span class="sla sla-${sla.status}" data-sla="${sla.status}" title="SLA ${slaName(sla.status)}${metric ? ` · ${metricName(metric.metric)}` : ''}">${icon(ICONS[sla.status] ?? 'dash')} <span class="sla-name">${slaName(sla.status)}</span>${due ? html` · ${dueTime(due, sla.status === 'breached')}` : ''}</span>`;
}

/** Rewrites every shown relative time (called by the ticker and when the clock estimate moves). */
export function tick() {
  const now = serverNow();
  for (const node of document.querySelectorAll('time[data-due]')) {
    const text = timeLeft(node.dataset.due, now, node.hasAttribute('data-breached'));
    if (node.textContent !== text) node.textContent = text;
  }
}

function ensureTicker() {
  if (!ticker) ticker = setInterval(tick, TICK_MS);
}
