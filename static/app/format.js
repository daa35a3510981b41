// Display names and formats for API values.

export const STATUSES = [['open', 'Open'], ['pending', 'Pending'], ['in_progress', 'In Progress'],
  ['on_hold', 'On Hold'], ['resolved', 'Resolved'], ['closed', 'Closed']];
export const PRIORITIES = [['urgent', 'Urgent'], ['high', 'High'], ['medium', 'Medium'], ['low', 'Low']];
export const CATEGORIES = [['general', 'General'], ['billing', 'Billing'], ['technical', 'Technical'], ['account', 'Account'],
  ['feature_request', 'Feature Request'], ['bug_report', 'Bug Report'], ['other', 'Other']];
export const CHANNELS = [['email', 'Email'], ['web', 'Web'], ['phone', 'Phone'], ['chat', 'Chat'], ['internal', 'Internal']];

const ALL = new Map([...STATUSES, ...PRIORITIES, ...CATEGORIES, ...CHANNELS]);

/** The display name of an enum value ('in_progress' -> 'In Progress'). */
export function label(value) {
  return ALL.get(value) ?? value ?? '';
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "27 Nov 2026, 09:30" or '' for null. */
export function formatDateTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : '';
}

/** "27 Nov 2026" or '' for null. */
export function formatDate(iso) {
  return iso ? dateOnly.format(new Date(iso)) : '';
}

/** A relative time for recent moments ("5 min ago"), else the date. */
export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60 && seconds > -60) return 'just now';
  if (seconds > 0 && seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds > 0 && seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatDate(iso);
}

/** "1.2 MB" style sizes. */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The value for an <input type="datetime-local"> from an ISO date (local time). */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An ISO date-time from a datetime-local value, or null when empty. */
export function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : null;
}

/** True when the ticket is past its due date and still unresolved. */
export function isOverdue(ticket, now = Date.now()) {
  return Boolean(ticket.dueAt) && !['resolved', 'closed'].includes(ticket.status) && new Date(ticket.dueAt).getTime() < now;
}
