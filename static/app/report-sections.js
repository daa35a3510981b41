// The six report sections as templates over the JSON of GET /api/reports. Each chart is
// followed by a table of the same numbers; each section ends with the definitions of its
// figures as the API serves them.
import { html } from './html.js';
import { barChart, lineChart } from './chart.js';
import { duration, hours, percent, count, score } from './report-format.js';

const DEFINITIONS = {
  overview: ['range', 'merged_deleted', 'total_tickets', 'open_tickets', 'resolved_tickets', 'average_resolution', 'first_response', 'average_first_response'],
  trends: ['volume', 'distribution', 'merged_deleted'],
  agents: ['agent_tickets_handled', 'agent_average_resolution', 'agent_csat'],
  sla: ['sla_first_response', 'sla_resolution', 'sla_business_time'],
  csat: ['csat_ratings', 'csat_average', 'csat_satisfied', 'csat_distribution', 'csat_by_agent', 'csat_trend', 'merged_deleted'],
  channels: ['channel_volume', 'channel_average_resolution'],
};

function table(caption, head, rows) {
  return html`<div class="table-wrap"><table class="grid report-table"><caption>${caption}</caption>
    <thead><tr>${head.map((h, i) => html`<th scope="col" class="${i ? 'num' : ''}">${h}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => (i ? html`<td class="num">${cell}</td>` : html`<th scope="row">${cell}</th>`))}</tr>`)}</tbody>
  </table></div>`;
}

function definitions(section, all) {
  const byId = new Map(all.map((d) => [d.id, d]));
  return html`<details class="report-definitions"><summary>How these figures are counted</summary><dl>
    ${DEFINITIONS[section].map((id) => byId.get(id)).filter(Boolean).map((d) => html`<dt>${d.name}</dt><dd>${d.text}</dd>`)}</dl></details>`;
}

function headline(name, pair, format) {
  return html`<div class="headline"><dt>${name}</dt><dd><span class="headline-value">${format(pair.current)}</span>
    <span class="headline-previous">Previous period: ${format(pair.previous)}</span></dd></div>`;
}

function overview(r) {
  const o = r.overview;
  return html`<dl class="headlines">
      ${headline('Total tickets', o.totalTickets, count)}${headline('Open tickets', o.openTickets, count)}
      ${headline('Resolved tickets', o.resolvedTickets, count)}
      ${headline('Average resolution time', o.averageResolutionSeconds, duration)}
      ${headline('Average first response time', o.averageFirstResponseSeconds, duration)}</dl>
    ${table('Overview, this period and the previous one', ['Figure', 'This period', 'Previous period'], [
      ['Total tickets', count(o.totalTickets.current), count(o.totalTickets.previous)],
      ['Open tickets', count(o.openTickets.current), count(o.openTickets.previous)],
      ['Resolved tickets', count(o.resolvedTickets.current), count(o.resolvedTickets.previous)],
      ['Average resolution time', duration(o.averageResolutionSeconds.current), duration(o.averageResolutionSeconds.previous)],
      ['Average first response time', duration(o.averageFirstResponseSeconds.current), duration(o.averageFirstResponseSeconds.previous)],
    ])}`;
}

function distribution(title, items) {
  return html`${barChart({ title, description: items.map((i) => `${i.name} ${i.count}`).join(', '), width: 460,
    labels: items.map((i) => i.name), series: [{ name: 'Tickets', values: items.map((i) => i.count) }] })}
    ${table(title, ['Value', 'Tickets'], items.map((i) => [i.name, count(i.count)]))}`;
}

function trends(r) {
  const t = r.trends;
  // Axis labels without the year (the range above says it): 11-24 for days and weeks, 2026-11 for months.
  const labels = t.volume.map((v) => (t.interval === 'month' ? v.date.slice(0, 7) : v.date.slice(5)));
  return html`<h3>Volume by ${t.interval}</h3>
    ${lineChart({ title: `Tickets created and resolved per ${t.interval}`,
      description: `${t.volume.length} ${t.interval}s from ${t.volume[0]?.date || ''}; created ${t.volume.reduce((a, v) => a + v.created, 0)}, resolved ${t.volume.reduce((a, v) => a + v.resolved, 0)}.`,
      labels, series: [{ name: 'Created', values: t.volume.map((v) => v.created) }, { name: 'Resolved', values: t.volume.map((v) => v.resolved) }] })}
    ${table(`Tickets per ${t.interval}`, [t.interval === 'day' ? 'Day' : `${t.interval[0].toUpperCase()}${t.interval.slice(1)} starting`, 'Created', 'Resolved'],
      t.volume.map((v) => [v.date, count(v.created), count(v.resolved)]))}
    <div class="report-grid">
      <div><h3>By status</h3>${distribution('Tickets created, by status', t.byStatus)}</div>
      <div><h3>By priority</h3>${distribution('Tickets created, by priority', t.byPriority)}</div>
      <div><h3>By category</h3>${distribution('Tickets created, by category', t.byCategory)}</div>
    </div>`;
}

function agents(r) {
  const rows = r.agents.agents;
  return html`${rows.length ? barChart({ title: 'Tickets handled per agent', description: rows.map((a) => `${a.name} ${a.ticketsHandled}`).join(', '),
      labels: rows.map((a) => a.name), series: [{ name: 'Tickets handled', values: rows.map((a) => a.ticketsHandled) }] }) : html`<p class="empty-state">No tickets were resolved in this range.</p>`}
    ${table('Agent performance', ['Agent', 'Tickets handled', 'Average resolution', 'Average CSAT', 'CSAT ratings'],
      rows.map((a) => [a.name, count(a.ticketsHandled), duration(a.averageResolutionSeconds), score(a.averageCsat), count(a.csatRatings)]))}`;
}

function sla(r) {
  const s = r.sla;
  const name = (p) => (p ? `${p[0].toUpperCase()}${p.slice(1)}` : 'All priorities');
  const overall = s.overall;
  return html`<dl class="headlines">
      ${headline('First response compliance', { current: overall.current.firstResponsePercent, previous: overall.previous.firstResponsePercent }, percent)}
      ${headline('Resolution compliance', { current: overall.current.resolutionPercent, previous: overall.previous.resolutionPercent }, percent)}</dl>
    ${barChart({ title: 'SLA compliance per priority', description: s.priorities.map((p) => `${name(p.priority)}: first response ${percent(p.firstResponsePercent)}, resolution ${percent(p.resolutionPercent)}`).join('; '),
      labels: s.priorities.map((p) => name(p.priority)), format: (v) => `${Math.round(v)} %`,
      series: [{ name: 'First response', values: s.priorities.map((p) => p.firstResponsePercent) }, { name: 'Resolution', values: s.priorities.map((p) => p.resolutionPercent) }] })}
    ${table('SLA compliance per priority', ['Priority', 'First response met', 'First response %', 'Resolution met', 'Resolution %', 'Avg first response (business)', 'Avg resolution (business)'],
      [...s.priorities, overall.current].map((p) => [name(p.priority), `${count(p.firstResponseMet)} of ${count(p.firstResponseDecided)}`, percent(p.firstResponsePercent),
        `${count(p.resolutionMet)} of ${count(p.resolutionDecided)}`, percent(p.resolutionPercent), duration(p.averageBusinessFirstResponseSeconds), duration(p.averageBusinessResolutionSeconds)]))}`;
}

function csat(r) {
  const c = r.csat;
  const now = c.overall.current;
  const stars = [1, 2, 3, 4, 5].map((n) => `${n} ${n === 1 ? 'star' : 'stars'}`);
  const labels = c.trend.map((p) => (c.interval === 'month' ? p.date.slice(0, 7) : p.date.slice(5)));
  return html`<dl class="headlines">
      ${headline('Average score', { current: now.averageScore, previous: c.overall.previous.averageScore }, score)}
      ${headline('Ratings', { current: now.ratings, previous: c.overall.previous.ratings }, count)}
      ${headline('Satisfied (4 or 5)', { current: now.satisfiedPercent, previous: c.overall.previous.satisfiedPercent }, percent)}</dl>
    ${now.ratings ? '' : html`<p class="empty-state">No survey was answered in this range.</p>`}
    <div class="report-grid two">
      <div><h3>Distribution of ratings</h3>${barChart({ title: 'Ratings per score', width: 560,
        description: stars.map((s, i) => `${s}: ${now.distribution[i]}`).join(', '),
        labels: stars, series: [{ name: 'Ratings', values: now.distribution }] })}
        ${table('Ratings per score', ['Score', 'Ratings', 'Previous period'], stars.map((s, i) => [s, count(now.distribution[i]), count(c.overall.previous.distribution[i])]))}</div>
      <div><h3>Scores by agent</h3>${c.agents.length ? barChart({ title: 'Average score per agent', width: 560,
        description: c.agents.map((a) => `${a.name} ${score(a.averageScore)} (${a.ratings})`).join(', '), format: (v) => v.toFixed(1),
        labels: c.agents.map((a) => a.name), series: [{ name: 'Average score', values: c.agents.map((a) => a.averageScore) }] }) : ''}
        ${table('CSAT by agent', ['Agent', 'Ratings', 'Average score'], c.agents.map((a) => [a.name, count(a.ratings), score(a.averageScore)]))}</div></div>
    <h3>Over time</h3>
    ${lineChart({ title: `Average score per ${c.interval}`, format: (v) => v.toFixed(1),
      description: `${c.trend.length} ${c.interval}s from ${c.trend[0]?.date || ''}; ${now.ratings} ratings, average ${score(now.averageScore)}.`,
      labels, series: [{ name: 'Average score', values: c.trend.map((p) => p.averageScore) }] })}
    ${table(`CSAT per ${c.interval}`, [c.interval === 'day' ? 'Day' : `${c.interval[0].toUpperCase()}${c.interval.slice(1)} starting`, 'Ratings', 'Average score'],
      c.trend.map((p) => [p.date, count(p.ratings), score(p.averageScore)]))}`;
}

function channels(r) {
  const rows = r.channels.channels;
  return html`<div class="report-grid two">
      <div>${barChart({ title: 'Tickets created per channel', description: rows.map((c) => `${c.name} ${c.created}`).join(', '), width: 560,
        labels: rows.map((c) => c.name), series: [{ name: 'Created', values: rows.map((c) => c.created) }] })}</div>
      <div>${barChart({ title: 'Average resolution per channel, hours', description: rows.map((c) => `${c.name} ${duration(c.averageResolutionSeconds)}`).join(', '), width: 560,
        labels: rows.map((c) => c.name), format: (v) => `${v.toFixed(v < 10 ? 1 : 0)} h`,
        series: [{ name: 'Average resolution', values: rows.map((c) => hours(c.averageResolutionSeconds)) }] })}</div></div>
    ${table('Channels', ['Channel', 'Created', 'Resolved', 'Average resolution'],
      rows.map((c) => [c.name, count(c.created), count(c.resolved), duration(c.averageResolutionSeconds)]))}`;
}

export const SECTIONS = [
  { id: 'overview', name: 'Overview', render: overview },
  { id: 'trends', name: 'Trends', render: trends },
  { id: 'agents', name: 'Agent performance', render: agents },
  { id: 'sla', name: 'SLA compliance', render: sla },
  { id: 'csat', name: 'CSAT', render: csat },
  { id: 'channels', name: 'Channels', render: channels },
];

/** The section `id` of report `r`, with its definitions. */
export function renderSection(id, r) {
  const section = SECTIONS.find((s) => s.id === id) || SECTIONS[0];
  return html`${section.render(r)}${definitions(section.id, r.definitions)}`;
}
