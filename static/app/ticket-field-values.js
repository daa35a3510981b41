// The ticket properties an agent edits on the ticket page, as values: the PATCH shape
// used to compare versions, what a form control shows, and how a value reads to people.
import { toLocalInput, fromLocalInput, label, formatDateTime } from './format.js';

/** The editable keys, in the order the conflict view lists them. */
export const FIELDS = ['status', 'priority', 'category', 'channel', 'assigneeId', 'dueAt', 'tags', 'requester'];

/** The parts of a requester (or contact) the fields compare and show. */
export function requesterOf(person) {
  return { id: person.id ?? null, name: person.name ?? '', email: person.email };
}

/** A ticket's fields in the API's PATCH shape, for comparing versions. */
export function fieldsOf(ticket) {
  return { status: ticket.status, priority: ticket.priority, category: ticket.category, channel: ticket.channel,
    assigneeId: ticket.assignee?.id ?? null, dueAt: ticket.dueAt ? new Date(ticket.dueAt).toISOString() : null, tags: ticket.tags,
    requester: requesterOf(ticket.requester) };
}

/** True when two field values are the same. */
export function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The PATCH body for `changes` at `version`: a known requester by id, a new one by name and email. */
export function patchBody(changes, version) {
  const { requester, ...rest } = changes;
  if (!requester) return { ...rest, version };
  return { ...rest, version, ...(requester.id ? { requesterId: requester.id } : { requester: { name: requester.name, email: requester.email } }) };
}

/** The value a form control shows for `key` of `ticket`. */
export function controlValue(key, ticket) {
  if (key === 'assigneeId') return String(ticket.assignee?.id ?? '');
  if (key === 'dueAt') return toLocalInput(ticket.dueAt);
  if (key === 'tags') return ticket.tags.join(', ');
  if (key === 'requester') return ticket.requester;
  return ticket[key];
}

/** `value` of field `key` as people read it (`agents` name the assignee). */
export function shown(key, value, agents) {
  if (key === 'assigneeId') return value === null ? 'Unassigned' : agents.find((agent) => agent.id === value)?.name ?? `#${value}`;
  if (key === 'tags') return value.join(', ') || '—';
  if (key === 'dueAt') return value ? formatDateTime(value) : '—';
  if (key === 'requester') return value.name || value.email;
  return label(value);
}

const NAMES = { status: 'Status', priority: 'Priority', category: 'Category', channel: 'Channel', assigneeId: 'Assignee',
  assignee: 'Assignee', dueAt: 'Due date', tags: 'Tags', requester: 'Requester', subject: 'Subject', description: 'Description' };

/** The field's name as people read it ("Assignee" for assigneeId, "Due date" for dueAt). */
export function fieldName(key) {
  return NAMES[key] ?? key;
}

/** The ticket fields as `form` shows them (the requester from its own control). */
export function readForm(form, requester) {
  const value = (name) => form.elements[name].value;
  return { status: value('status'), priority: value('priority'), category: value('category'), channel: value('channel'),
    assigneeId: value('assigneeId') ? Number(value('assigneeId')) : null, dueAt: fromLocalInput(value('dueAt')),
    // As the server stores them (trimmed, lower case, once each, sorted), so order is no change.
    tags: [...new Set(value('tags').split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean))].sort(), requester };
}
