// The ticket list's keyboard: j and k move to the next and previous ticket (focusing its
// reference link, so Enter opens it natively), x selects or unselects it.
import { isShortcut } from './shortcuts.js';

/** Handles a keydown for the list in `root` (hd-ticket-list); true when it was a list key. */
export function listKey(event, root) {
  if (!isShortcut(event) || !['j', 'k', 'x'].includes(event.key)) return false;
  const rows = [...root.querySelectorAll('hd-ticket-table tbody tr')];
  if (rows.length === 0) return false;
  const current = rows.findIndex((row) => row.contains(document.activeElement));
  event.preventDefault();
  if (event.key === 'x') {
    if (current === -1) return true;
    const id = rows[current].dataset.ticketId;
    rows[current].querySelector('input[type="checkbox"]')?.click();
    // Selecting re-renders the table: find the row again to keep the place.
    const row = root.querySelector(`hd-ticket-table tr[data-ticket-id="${id}"]`);
    row?.classList.add('current');
    row?.querySelector('td.ref a')?.focus();
    return true;
  }
  const next = current === -1 ? 0 : Math.min(Math.max(current + (event.key === 'j' ? 1 : -1), 0), rows.length - 1);
  rows.forEach((row, i) => row.classList.toggle('current', i === next));
  const link = rows[next].querySelector('td.ref a');
  link.focus();
  link.scrollIntoView({ block: 'nearest' });
  return true;
}
