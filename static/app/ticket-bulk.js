// A bulk change or deletion from the ticket list: the offer to select every matching
// ticket, the confirmation it asks for, and the POST /api/tickets/bulk that applies it.
import { html } from './html.js';
import { api } from './api.js';
import { announce } from './controls.js';
import { offerUndo } from './undo.js';
import { label } from './format.js';

/** The offer under a fully selected page: every match (`allMatching`) or only the `shown` tickets. */
export function selectMatchingOffer(allMatching, shown, total) {
  return allMatching
    ? html`Every ticket matching this view is selected. <button type="button" class="link-button" data-action="page-only">Select only this page</button>`
    : html`All ${shown} tickets on this page are selected. <button type="button" class="link-button" data-action="all-matching">Select all ${total ?? ''} matching tickets</button>`;
}

/** The confirmation dialog (hd-confirm options) for `detail` (from hd-bulk-bar) on `count` tickets. */
export function bulkConfirmation(detail, count) {
  const noun = count === 1 ? 'ticket' : 'tickets';
  return detail.delete
    ? { title: `Delete ${count} ${noun}?`, message: 'Deleted tickets and their conversations cannot be restored.', confirmLabel: 'Delete', danger: true }
    : { title: `Change ${count} ${noun}?`, message: `This will ${detail.words.join(', ')}.`, confirmLabel: 'Apply change' };
}

/** A ticket's value of bulk key `key` in the bulk API's shape. */
function bulkValue(ticket, key) {
  return key === 'assigneeId' ? ticket.assignee?.id ?? null : ticket[key];
}

/**
 * The requests that put `before` (the tickets as they were) back for the keys `change`
 * set: one bulk change per group of tickets that had the same previous values.
 */
export function undoRequests(before, change) {
  const keys = Object.keys(change);
  const groups = new Map();
  for (const ticket of before) {
    const values = Object.fromEntries(keys.map((key) => [key, bulkValue(ticket, key)]));
    const id = JSON.stringify(values);
    if (!groups.has(id)) groups.set(id, { ids: [], change: values });
    groups.get(id).ids.push(ticket.id);
  }
  return [...groups.values()];
}

async function undoBulk(requests) {
  let updated = 0;
  let skipped = 0;
  try {
    for (const body of requests) {
      const result = await api('/api/tickets/bulk', { method: 'POST', body });
      updated += result.updated.length;
      skipped += result.skipped.length;
    }
    announce(`Undone: ${updated} ${updated === 1 ? 'ticket' : 'tickets'} back as they were${skipped ? `, ${skipped} could not go back` : ''}.`);
  } catch (error) {
    announce(`Could not undo: ${error.message}`, 'error');
  }
}

/**
 * Applies `detail` to `target` ({ids} or {filter}) and announces the result; resolves true
 * when the server applied it. A change of chosen tickets whose previous values are known
 * (`before`, the tickets as listed) is offered for undo; deletion is not (it asked first).
 */
export async function applyBulk(detail, target, before = []) {
  try {
    const result = await api('/api/tickets/bulk', { method: 'POST', body: detail.delete ? { ...target, delete: true } : { ...target, change: detail.change } });
    const done = detail.delete ? `Deleted ${result.deleted.length}` : `Updated ${result.updated.length}`;
    const message = `${done} ${result.deleted.length + result.updated.length === 1 ? 'ticket' : 'tickets'}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}.`;
    announce(message);
    const changed = new Set(result.updated);
    const known = before.filter((ticket) => changed.has(ticket.id));
    if (!detail.delete && target.ids && known.length) {
      const requests = undoRequests(known, detail.change);
      offerUndo(message, () => undoBulk(requests).then(() => document.dispatchEvent(new CustomEvent('bulk-undone'))));
    }
    return true;
  } catch (error) {
    announce(error.message, 'error');
    return false;
  }
}
