// A bulk change or deletion from the ticket list: the offer to select every matching
// ticket, the confirmation it asks for, and the POST /api/tickets/bulk that applies it.
import { html } from './html.js';
import { api } from './api.js';
import { announce } from './controls.js';

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

/** Applies `detail` to `target` ({ids} or {filter}) and announces the result; resolves true when the server applied it. */
export async function applyBulk(detail, target) {
  try {
    const result = await api('/api/tickets/bulk', { method: 'POST', body: detail.delete ? { ...target, delete: true } : { ...target, change: detail.change } });
    const done = detail.delete ? `Deleted ${result.deleted.length}` : `Updated ${result.updated.length}`;
    announce(`${done} ${result.deleted.length + result.updated.length === 1 ? 'ticket' : 'tickets'}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}.`);
    return true;
  } catch (error) {
    announce(error.message, 'error');
    return false;
  }
}
