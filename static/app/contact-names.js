// Names for the contacts an audit timeline mentions by id (requester changes store the
// contact id), from GET /api/contacts/:id, remembered for the page's lifetime.
import { api } from './api.js';

const known = new Map();

/** The contact ids in `entries`' requester changes mapped to names (unknown ids left out). */
export async function requesterNames(entries) {
  const ids = new Set(entries.flatMap((entry) => [entry.before?.requester, entry.after?.requester]).filter(Number.isInteger));
  await Promise.all([...ids].filter((id) => !known.has(id)).map(async (id) => {
    try {
      const contact = await api(`/api/contacts/${id}`);
      known.set(id, contact.name || contact.email);
    } catch {
      // Left out: the timeline shows the id instead.
    }
  }));
  return new Map([...ids].filter((id) => known.has(id)).map((id) => [id, known.get(id)]));
}
