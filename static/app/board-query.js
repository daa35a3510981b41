// The board's token search: `priority:urgent category:billing channel:email agent:me
// agent:alex billing` becomes list API parameters, and a matcher for live tickets.
import { PRIORITIES, CATEGORIES, CHANNELS } from './format.js';

const ENUMS = { priority: PRIORITIES, category: CATEGORIES, channel: CHANNELS };
const TOKEN = /(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)/g;

function enumValue(pairs, raw) {
  const wanted = raw.toLowerCase().replace(/[\s-]/g, '_');
  return pairs.find(([value, text]) => value === wanted || text.toLowerCase().replace(/\s/g, '_') === wanted)?.[0];
}

function agentId(agents, raw) {
  const wanted = raw.toLowerCase();
  if (['me', 'none'].includes(wanted)) return wanted;
  const byName = (agent) => agent.name.toLowerCase();
  const found = agents.find((agent) => byName(agent) === wanted || byName(agent).replace(/\s+/g, '') === wanted)
    || agents.find((agent) => byName(agent).split(/\s+/).includes(wanted))
    || agents.find((agent) => byName(agent).startsWith(wanted));
  return found?.id;
}

/** The query in `text`: { priority, category, channel (lists), agent, words, problems }. */
export function parseQuery(text, agents = []) {
  const query = { priority: [], category: [], channel: [], agent: null, words: [], problems: [] };
  for (const match of (text || '').matchAll(TOKEN)) {
    const key = (match[1] || match[3] || '').toLowerCase();
    const value = match[2] ?? match[4];
    if (key && ENUMS[key]) {
      const found = enumValue(ENUMS[key], value);
      if (found) query[key].push(found); else query.problems.push(`No ${key} called “${value}”.`);
    } else if (key === 'agent') {
      const found = agentId(agents, value);
      if (found) query.agent = found; else query.problems.push(`No agent called “${value}”.`);
    } else {
      query.words.push(match[5] ?? match[0]);
    }
  }
  return query;
}

/** List API parameters for `query` (without status, limit and cursor). */
export function apiParams(query) {
  const params = new URLSearchParams();
  for (const key of Object.keys(ENUMS)) if (query[key].length) params.set(key, query[key].join(','));
  if (query.agent) params.set('assignee', String(query.agent));
  if (query.words.length) params.set('q', query.words.join(' '));
  return params;
}

/** True when a live `ticket` belongs on a board filtered by `query` (text: subject, requester, reference). */
export function matches(ticket, query, me) {
  for (const key of Object.keys(ENUMS)) if (query[key].length && !query[key].includes(ticket[key])) return false;
  const assignee = ticket.assignee?.id ?? null;
  if (query.agent === 'me' && assignee !== me) return false;
  if (query.agent === 'none' && assignee !== null) return false;
  if (typeof query.agent === 'number' && assignee !== query.agent) return false;
  const haystack = [ticket.reference, ticket.subject, ticket.description, ticket.requester?.name, ticket.requester?.email,
    ticket.category, ...(ticket.tags || [])].join(' ').toLowerCase();
  return query.words.every((word) => haystack.includes(word.toLowerCase()));
}

/** The board's address for filter `text`, in wall mode when `wall`. */
export function boardUrl(text, wall) {
  const params = new URLSearchParams();
  if (text) params.set('q', text);
  if (wall) params.set('wall', '1');
  return `/board${params.size ? `?${params}` : ''}`;
}
