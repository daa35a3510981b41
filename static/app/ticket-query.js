// The ticket list's view state lives in the URL: these helpers turn the address into
// the API's filter and back, so every view can be bookmarked, shared and reloaded.

export const FILTER_KEYS = ['preset', 'q', 'status', 'priority', 'category', 'channel', 'assignee', 'tag', 'requester',
  'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo', 'slaStatus'];
export const DEFAULT_SORT = '-updated';

export const PRESETS = [
  { id: '', name: 'All tickets' },
  { id: 'my-open', name: 'My open tickets' },
  { id: 'urgent-unassigned', name: 'Urgent unassigned' },
  { id: 'sla-breaching', name: 'SLA breaching' },
];

/** The view from a query string: { filter: {key: value}, sort }. */
export function viewFromSearch(search = location.search) {
  const params = new URLSearchParams(search);
  const filter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  return { filter, sort: params.get('sort') || DEFAULT_SORT };
}

/** The query string for a view (without '?'); the default sort is left out. */
export function searchFromView({ filter, sort }) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) params.set(key, filter[key]);
  if (sort && sort !== DEFAULT_SORT) params.set('sort', sort);
  return params.toString();
}

/** The API query for a page of the view. */
export function apiSearch(view, { cursor, limit = 50 } = {}) {
  const params = new URLSearchParams(searchFromView(view));
  params.set('sort', view.sort);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** The filter for the bulk API (every match of the view). */
export function bulkFilter(view) {
  return { ...view.filter };
}

/** How many filters besides the preset and search are active. */
export function activeFilterCount(filter) {
  return FILTER_KEYS.filter((key) => key !== 'preset' && key !== 'q' && filter[key]).length;
}
