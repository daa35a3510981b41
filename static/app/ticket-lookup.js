// Finding tickets by what an agent types: a reference (TKT-042, through
// GET /api/tickets/by-reference/:reference), an id, or words of the subject (list API `q`).
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

/** Up to `limit` tickets for `text`: the exact reference first, then subject matches. */
export async function findTickets(text, limit = 20) {
  const value = text.trim();
  if (REFERENCE.test(value)) {
    const found = await byReference(value);
    return found ? [found] : [];
  }
  return (await api(`/api/tickets${query({ q: value, limit })}`)).tickets;
}

/** A ticket id from "42", "#42" or "TKT-042"; throws an error naming `field` when unknown. */
export async function ticketIdFrom(text, field) {
  const value = text.trim().replace(/^#/, '');
  if (/^\d+$/.test(value)) return Number(value);
  const found = REFERENCE.test(value) ? await byReference(value) : null;
  if (!found) throw Object.assign(new Error(value ? `No ticket ${value}.` : 'Enter a ticket reference like TKT-042.'), { field });
  return found.id;
}
