// What an empty ticket list says: a brand-new help desk gets a getting-started checklist,
// an empty preset says something positive, and only a filtered view says nothing matches.
import { html } from './html.js';
import { store, can } from './store.js';
import { FILTER_KEYS } from './ticket-query.js';

const PRESET_NEWS = {
  'my-open': ['Nothing open on your plate', 'Every ticket assigned to you is answered or resolved. Pick up one from',
    '/tickets?preset=urgent-unassigned', 'Urgent unassigned'],
  'urgent-unassigned': ['No urgent ticket is waiting for an owner', 'Every urgent ticket has someone on it. See',
    '/tickets?preset=my-open', 'your open tickets'],
  'sla-breaching': ['Every SLA target is on track', 'No ticket is close to missing its response or resolution target. See',
    '/tickets', 'all tickets'],
};

/** The getting-started steps, each with whether it is done as far as the app knows. */
function steps() {
  const agents = store.state.agents || [];
  return [
    can('ticket.create') && { text: 'Create your first ticket', href: '/tickets/new', done: false },
    can('users.manage') && { text: 'Invite your team', href: '/settings/users', done: agents.length > 1 },
    can('account.manage') && { text: 'Name your help desk and add its logo', href: '/settings/account', done: store.state.account?.name && store.state.account.name !== 'Help Desk' },
    can('account.manage') && { text: 'Connect a mailbox so emails become tickets', href: '/settings/mailboxes', done: false },
    can('sla.manage') && { text: 'Check the SLA policy and business hours', href: '/settings/sla', done: false },
    can('canned.manage') && { text: 'Write canned responses for common questions', href: '/settings/canned', done: false },
  ].filter(Boolean);
}

/** The empty state for a list showing no ticket under `filter`. */
export function emptyState(filter) {
  const filtered = FILTER_KEYS.some((key) => filter[key]);
  if (!filtered) {
    return html`<div class="empty-state getting-started"><h2>Welcome! Your help desk has no tickets yet</h2>
      <p>A few steps to get going:</p>
      <ol class="checklist">${steps().map((step) => html`<li class="${step.done ? 'done' : ''}"><a href="${step.href}">${step.text}</a>${step.done ? html` <span class="muted">(done)</span>` : ''}</li>`)}</ol>
      <p class="muted">Tickets also arrive from the requester portal, the API and connected mailboxes.</p></div>`;
  }
  const news = PRESET_NEWS[filter.preset];
  const onlyPreset = FILTER_KEYS.every((key) => key === 'preset' || !filter[key]);
  if (news && onlyPreset) {
    return html`<div class="empty-state good-news"><h2>${news[0]}</h2><p>${news[1]} <a href="${news[2]}">${news[3]}</a>.</p></div>`;
  }
  return html`<div class="empty-state"><h2>No tickets match this view</h2>
    <p>Try another preset or <a href="/tickets">clear every filter</a>.</p></div>`;
}
