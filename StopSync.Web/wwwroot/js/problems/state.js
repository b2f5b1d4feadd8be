// The problems page's state and its one serialisation (docs/09-review.md, "The problems page"): the filters are the
// query string of the page and of /api/problems alike, `page` the queue page of the current stop and `stop` the stop.
// Pure functions: the browser tests import this module on its own.
import { PROBLEM_TYPES } from '../map/filters.js';

export { PROBLEM_TYPES };
export const PRIORITIES = ['1', '2', '3'];
export const REVIEW_STATES = [
  ['open', 'Open'],
  ['decided', 'Decided'],
  ['needs_another_look', 'Needs another look'],
];
export const SORTS = [['priority', 'Priority'], ['distance', 'Distance']];
// Stops per /api/problems request: one screenful of work, and the next page is fetched before the end of this one.
export const PAGE_SIZE = 50;

const MAX_PAGE = 1000000;
const TYPE_CODES = new Set(PROBLEM_TYPES.map(([c]) => c));
const STATE_CODES = new Set(REVIEW_STATES.map(([c]) => c));

export function emptyState() {
  return { problemTypes: [], priorities: [], atlasOperators: [], cantons: [], states: [], sortBy: 'priority', sortOrder: 'asc', page: 1, stop: null };
}

const list = (query, name) => (query.get(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
const unique = (values) => [...new Set(values)];

// Unknown values are dropped here; the server answers 400 for them before the page is ever rendered.
export function fromQuery(query) {
  const s = emptyState();
  const types = list(query, 'problem_type').map((t) => (t === 'isolated' ? 'unmatched' : t));
  s.problemTypes = types.includes('all') ? [] : unique(types.filter((t) => TYPE_CODES.has(t)));
  s.priorities = unique(list(query, 'priority').filter((p) => PRIORITIES.includes(p))).sort();
  s.atlasOperators = unique(list(query, 'atlas_operator'));
  s.cantons = unique(list(query, 'canton').map((c) => c.toUpperCase()));
  s.states = unique(list(query, 'state').filter((v) => STATE_CODES.has(v)));
  s.sortBy = query.get('sort_by') === 'distance' ? 'distance' : 'priority';
  s.sortOrder = query.get('sort_order') === 'desc' ? 'desc' : 'asc';
  const page = Number.parseInt(query.get('page') ?? '', 10);
  // A page past the end shows the last one; the cap only keeps the request a whole number the API accepts.
  s.page = Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1;
  const stop = (query.get('stop') ?? '').trim();
  s.stop = stop === '' ? null : stop;
  return s;
}

// The filter part only: what /api/problems/stats takes (states are counted there, not filtered).
export function filterParams(state, { withStates = true, withSort = true } = {}) {
  const p = new URLSearchParams();
  const put = (name, values) => {
    if (values.length > 0) p.set(name, values.join(','));
  };
  put('problem_type', state.problemTypes);
  put('priority', state.priorities);
  put('atlas_operator', state.atlasOperators);
  put('canton', state.cantons);
  // All three states is the API's default: left out, so the shortest address names the same queue.
  if (withStates && state.states.length < REVIEW_STATES.length) put('state', state.states);
  if (withSort && state.sortBy !== 'priority') p.set('sort_by', state.sortBy);
  if (withSort && state.sortOrder !== 'asc') p.set('sort_order', state.sortOrder);
  return p;
}

export function pageQuery(state) {
  const p = filterParams(state);
  if (state.page > 1) p.set('page', String(state.page));
  if (state.stop) p.set('stop', state.stop);
  return p;
}

export function apiParams(state, page, limit = PAGE_SIZE) {
  const p = filterParams(state);
  p.set('page', String(page));
  p.set('limit', String(limit));
  return p;
}

// Two states name the same queue (same stops in the same order) when their filters and sort agree.
export const sameQueue = (a, b) => filterParams(a).toString() === filterParams(b).toString();

// The stop an entry stands for, as the map's ?stop= names it: a SLOID, node/123 or way/45.
export function stopRef(item) {
  if (item.sloid) return item.sloid;
  const osm = /^(?:(way|node)_)?(\d+)$/.exec(String(item.osm_node_id ?? ''));
  if (osm) return `${osm[1] === 'way' ? 'way' : 'node'}/${osm[2]}`;
  return `stop/${item.stop_id}`;
}

// One entry per affected stop: /api/problems sends the items of a stop one after the other.
export function groupByStop(items) {
  const entries = [];
  for (const item of items) {
    const last = entries[entries.length - 1];
    if (last && last.stopId === item.stop_id) {
      last.items.push(item);
    } else {
      entries.push({ stopId: item.stop_id, ref: stopRef(item), items: [item] });
    }
  }
  return entries;
}

// The summary line: problems solved / unsolved / needing another look for the chosen types (all types when none).
export function summaryCounts(stats, problemTypes) {
  const keys = problemTypes.length > 0 ? problemTypes : ['all'];
  const total = { all: 0, solved: 0, unsolved: 0, needs_another_look: 0 };
  for (const key of keys) {
    const c = stats?.[key];
    if (!c) continue;
    for (const k of Object.keys(total)) total[k] += Number(c[k] ?? 0);
  }
  return total;
}
