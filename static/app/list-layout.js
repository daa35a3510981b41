// How this browser shows the ticket list: row density and the columns chosen, kept in
// localStorage (a per-person, per-screen taste, not shared configuration).

const DENSITY_KEY = 'hd.listDensity';
const COLUMNS_KEY = 'hd.listColumns';

/** Columns an agent may hide, with their labels; reference and subject always show. */
export const OPTIONAL_COLUMNS = [['requester', 'Requester'], ['status', 'Status'], ['priority', 'Priority'], ['sla', 'SLA'],
  ['category', 'Category'], ['channel', 'Channel'], ['assignee', 'Assignee'], ['updated', 'Updated'], ['due', 'Due']];
/** Shown until the agent chooses: what fits 1280 px without scrolling sideways. */
const DEFAULT_COLUMNS = ['requester', 'status', 'priority', 'sla', 'assignee', 'updated', 'due'];

export function listDensity() {
  return localStorage.getItem(DENSITY_KEY) === 'comfortable' ? 'comfortable' : 'compact';
}

export function setListDensity(density) {
  localStorage.setItem(DENSITY_KEY, density === 'comfortable' ? 'comfortable' : 'compact');
}

/** The optional columns shown, as a Set of keys. */
export function visibleColumns() {
  try {
    const stored = JSON.parse(localStorage.getItem(COLUMNS_KEY) || 'null');
    if (Array.isArray(stored)) return new Set(stored.filter((key) => OPTIONAL_COLUMNS.some(([known]) => known === key)));
  } catch { /* a damaged value falls back to the default */ }
  return new Set(DEFAULT_COLUMNS);
}

export function setVisibleColumns(keys) {
  localStorage.setItem(COLUMNS_KEY, JSON.stringify([...keys]));
}
