// Audit entries as people read them: actions in words, field names as labels, agents and
// contacts by name, dates formatted, enum values by their display names. Never a raw id
// or an ISO string.
import { label, formatDateTime } from './format.js';
import { fieldName } from './ticket-field-values.js';
import { store } from './store.js';

export const ACTIONS = {
  'ticket.created': 'created the ticket', 'ticket.updated': 'updated the ticket', 'ticket.status_changed': 'changed the status',
  'ticket.assigned': 'changed the assignee', 'ticket.auto_assigned': 'assigned the ticket automatically', 'ticket.deleted': 'deleted the ticket',
  'message.reply': 'replied', 'message.note': 'added an internal note', 'attachment.added': 'attached a file',
  'ticket.bulk_updated': 'changed the ticket in a bulk action', 'ticket.bulk_deleted': 'deleted the ticket in a bulk action',
  'ticket.merged': 'merged another ticket into this one', 'ticket.merged_into': 'merged this ticket into another',
  'watcher.added': 'added a watcher', 'watcher.removed': 'removed a watcher', 'link.added': 'linked a ticket', 'link.removed': 'removed a link',
  'sla.warning': 'warned that an SLA target is near', 'sla.breached': 'recorded a missed SLA target',
  'access_link.issued': 'created the requester link', 'access_link.regenerated': 'regenerated the requester link',
  'access_link.expiry_changed': 'changed the requester link expiry',
  'survey.created': 'created a satisfaction survey', 'survey.rated': 'rated the help', 'survey.cancelled': 'cancelled the satisfaction survey',
  'survey.sent': 'emailed the satisfaction survey', 'survey.answer_changed': 'changed their rating',
  'workflow.ran': 'ran a workflow', 'ticket.sla_policy_changed': 'changed the SLA policy', 'link.updated': 'changed a link\'s status text',
  'cc.added': (entry) => `copied ${entry.after?.email ?? 'a contact'} on the ticket`,
  'cc.removed': (entry) => `removed ${entry.before?.email ?? 'a contact'} from CC`,
};

const AGENT_KEYS = new Set(['assignee', 'assigneeId', 'agent', 'agentId', 'watcher', 'watcherId', 'resolvedBy']);
const CONTACT_KEYS = new Set(['requester', 'requesterID', 'requesterId']);
const ENUM_KEYS = new Set(['status', 'priority', 'category', 'channel', 'from', 'to']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** What an entry's action says (some name what they changed); actions this build does not
 * know in words from their name. */
export function actionText(entry) {
  const words = ACTIONS[entry.action];
  return typeof words === 'function' ? words(entry) : words ?? entry.action.replace(/[._]/g, ' ');
}

/** A field key as a label ("dueAt" -> "Due date", "requesterID" -> "Requester"). */
export function keyLabel(key) {
  const known = fieldName(key);
  if (known !== key) return known;
  if (CONTACT_KEYS.has(key)) return 'Requester';
  if (AGENT_KEYS.has(key)) return 'Agent';
  const words = key.replace(/(ID|Id)$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `value` of audit key `key` in words; `contacts` names contact ids. */
export function valueText(value, key, contacts = new Map()) {
  if ((value === null || value === undefined) && AGENT_KEYS.has(key)) return 'Unassigned';
  if (value === null || value === undefined || value === '') return '—';
  if (CONTACT_KEYS.has(key) && Number.isInteger(value)) return contacts.get(value) ?? 'another contact';
  if (AGENT_KEYS.has(key) && Number.isInteger(value)) return store.state.agents.find((agent) => agent.id === value)?.name ?? 'a former agent';
  if (Array.isArray(value)) return value.map((item) => valueText(item, key === 'tags' ? '' : key, contacts)).join(', ') || '—';
  if (typeof value === 'object') return value.name ?? value.email ?? value.reference ?? Object.values(value).map((item) => valueText(item, '', contacts)).join(' ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && ISO.test(value)) return formatDateTime(value);
  return ENUM_KEYS.has(key) ? label(String(value)) : String(value);
}
