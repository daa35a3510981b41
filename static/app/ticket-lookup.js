// Finding tickets by what an agent types, through the one search the app has
// (GET /api/search: a reference like TKT-042, 42 or #42, a requester's name or email, words);
// GET /api/tickets/by-reference/:reference for a reference alone.
import { api, query } from './api.js';

const REFERENCE = /^TKT-\d+$/i;

/** The ticket with this reference, or null when there is none. */
async function byReference(text) {
  try {
    return await api(`/api/tickets/by-reference/${encodeURIComponent(text.toUpperCase())}`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/** The search answer for `text`: { exact, contacts, tickets } (the exact hit first in tickets). */
export function searchTickets(text, limit = 10) {
  return api(`/api/search${query({ q: text, limit })}`);
}

/** Up to `limit` tickets for `text` (the search box's matches); the latest tickets when empty. */
export async function findTickets(text, limit = 20) {
  const value = text.trim();
  if (!value) return (await api(`/api/tickets${query({ limit })}`)).tickets;
  return (await searchTickets(value, limit)).tickets;
}

/** A ticket id from "42", "#42" or "TKT-042"; throws an error naming `field` when unknown. */
export async function ticketIdFrom(text, field) {
  const value = text.trim().replace(/^#/, '');
  if (/^\d+$/.test(value)) return Number(value);
  const found = REFERENCE.test(value) ? await byReference(value) : null;
  if (!found) throw Object.assign(new Error(value ? `No ticket ${value}.` : 'Enter a ticket reference like TKT-042.'), { field });
  return found.id;
}
