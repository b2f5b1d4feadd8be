// The filter model of the map and its one serialisation: the query string of the API calls is also the query string of
// the page's own URL, so a shared link restores exactly what was filtered (docs/08-site.md, "Filters").

export const MATCH_METHODS = [
  ['exact', 'Exact (UIC / reference)'],
  ['name', 'Name'],
  ['distance_matching_trio', 'Distance: trio (stage 0)'],
  ['distance_matching_1', 'Distance: group within 50 m (stage 1)'],
  ['long_distance_group_proximity', 'Distance: group within 150 m (stage 1b)'],
  ['distance_matching_2', 'Distance: same local_ref (stage 2)'],
  ['distance_matching_3a', 'Distance: single candidate (stage 3a)'],
  ['distance_matching_3b', 'Distance: relative distance (stage 3b)'],
  ['route_gtfs', 'GTFS route tokens'],
  ['route_gtfs_direction', 'GTFS route direction'],
  ['manual', 'Manual (reviewer decision)'],
];

export const ATLAS_REFINEMENTS = [
  ['no_nearby_counterpart', 'No OSM element within 50 m'],
  ['osm_within_50m', 'OSM element within 50 m'],
];

export const TRANSPORT_TYPES = [
  ['ferry_terminal', 'Ferry terminal'],
  ['tram_stop', 'Tram stop'],
  ['station', 'Station'],
  ['platform', 'Platform'],
  ['stop_position', 'Stop position'],
  ['aerialway_station', 'Aerialway'],
];

export const OSM_GROUP_TYPES = [
  ['all', 'Any grouped OSM member'],
  ['osm_trio', 'Trios'],
  ['osm_pair_uic', 'Pairs by UIC'],
  ['osm_pair_uic_equal_15m', 'Pairs by UIC, equal count within 15 m'],
  ['osm_pair_name', 'Pairs by name'],
  ['osm_pair_name_equal_15m', 'Pairs by name, equal count within 15 m'],
  ['osm_pair_tram', 'Tram pairs'],
  ['osm_pair_tram_equal_15m', 'Tram pairs, equal count within 15 m'],
];

export const PROBLEM_TYPES = [
  ['distance', 'Distance'],
  ['unmatched', 'Unmatched'],
  ['attributes', 'Attributes differ'],
  ['duplicates', 'Duplicates'],
  ['contradicts_route_matching', 'Contradicts route matching'],
  ['route_unmatched', 'Line without counterpart'],
  ['route_metadata', 'Line ref/operator differ'],
  ['route_membership', 'Line stops differ'],
];

export const PRIORITIES = [['1', 'P1'], ['2', 'P2'], ['3', 'P3']];

const METHOD_CODES = new Set(MATCH_METHODS.map(([code]) => code));
const REFINEMENT_CODES = new Set(ATLAS_REFINEMENTS.map(([code]) => code));

export function emptyFilters() {
  return {
    matched: false,
    methods: [],
    atlasUnmatched: false,
    refinements: [],
    osmUnmatched: false,
    atlasOperators: [],
    duplicatesOnly: false,
    osmOperators: [],
    transportTypes: [],
    osmEntityTypes: [],
    osmGroupTypes: [],
    cantons: [],
    problemTypes: [],
    priorities: [],
    topN: null,
    // A line: its route id, optionally followed by " dir:0" or " dir:1" (the search token's form); null for every line.
    route: null,
  };
}

// "91-10-A dir:1" → { id: '91-10-A', dir: '1' }; a leading "route:" is dropped. null for blank text.
export function parseRouteToken(text) {
  let value = String(text ?? '').trim().replace(/\s+/g, ' ');
  if (/^route:/i.test(value)) value = value.slice(6).trim();
  if (value === '') return null;
  const m = /^(.*?)(?:\s*\bdir:([01]))?$/i.exec(value);
  const id = (m?.[1] ?? value).trim();
  return id === '' ? null : { id, dir: m?.[2] ?? null };
}

export const routeToken = (id, dir) => (dir === '0' || dir === '1' ? `${id} dir:${dir}` : id);

// The API's comma lists: OR within a parameter, AND across parameters; only what restricts anything is sent.
export function toParams(filters, { includeTopN = false } = {}) {
  const p = new URLSearchParams();
  const list = (name, values) => {
    if (values.length > 0) p.set(name, values.join(','));
  };

  const matchedAll = filters.matched || filters.methods.length === MATCH_METHODS.length;
  const atlasAll = filters.atlasUnmatched || filters.refinements.length === ATLAS_REFINEMENTS.length;
  const scope = [];
  if (matchedAll) scope.push('matched');
  if (atlasAll) scope.push('atlas_unmatched');
  if (filters.osmUnmatched) scope.push('osm_unmatched');
  list('stop_filter', scope);
  list('match_method', [...(matchedAll ? [] : filters.methods), ...(atlasAll ? [] : filters.refinements)]);
  list('atlas_operator', filters.atlasOperators);
  list('osm_operator', filters.osmOperators);
  list('transport_types', filters.transportTypes);
  list('osm_entity_types', filters.osmEntityTypes);
  list('osm_group_types', filters.osmGroupTypes.includes('all') ? ['all'] : filters.osmGroupTypes);
  list('canton', filters.cantons);
  list('problem_type', filters.problemTypes);
  list('problem_priority', filters.priorities);
  if (filters.duplicatesOnly) p.set('show_duplicates_only', 'true');
  if (includeTopN && filters.topN != null) p.set('top_n', String(filters.topN));
  if (filters.route) p.set('route', filters.route);
  return p;
}

export function fromParams(query) {
  const f = emptyFilters();
  const list = (name) => (query.get(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  const scope = list('stop_filter');
  f.matched = scope.includes('matched');
  f.atlasUnmatched = scope.includes('atlas_unmatched');
  f.osmUnmatched = scope.includes('osm_unmatched');
  for (const method of list('match_method')) {
    if (METHOD_CODES.has(method)) f.methods.push(method);
    else if (REFINEMENT_CODES.has(method)) f.refinements.push(method);
  }
  f.atlasOperators = list('atlas_operator');
  f.osmOperators = list('osm_operator');
  f.transportTypes = list('transport_types');
  f.osmEntityTypes = list('osm_entity_types');
  f.osmGroupTypes = list('osm_group_types');
  f.cantons = list('canton').map((c) => c.toUpperCase());
  f.problemTypes = list('problem_type');
  f.priorities = list('problem_priority');
  f.duplicatesOnly = query.get('show_duplicates_only') === 'true';
  const topN = Number.parseInt(query.get('top_n') ?? '', 10);
  f.topN = Number.isFinite(topN) && topN >= 1 ? Math.min(topN, 100) : null;
  const route = parseRouteToken(query.get('route'));
  f.route = route ? routeToken(route.id, route.dir) : null;
  return f;
}

export function hasFilters(filters) {
  return toParams(filters).toString() !== '';
}

const label = (pairs, code) => pairs.find(([c]) => c === code)?.[1] ?? code;

// One removable chip per active value: [text, remove()] with remove changing the model in place.
export function chips(filters) {
  const out = [];
  const each = (values, prefix, pairs, key) => {
    for (const value of values) {
      out.push([`${prefix}: ${pairs ? label(pairs, value) : value}`, () => {
        filters[key] = filters[key].filter((v) => v !== value);
      }]);
    }
  };
  if (filters.matched) out.push(['All matched', () => { filters.matched = false; }]);
  each(filters.methods, 'Method', MATCH_METHODS, 'methods');
  if (filters.atlasUnmatched) out.push(['ATLAS unmatched', () => { filters.atlasUnmatched = false; }]);
  each(filters.refinements, 'ATLAS unmatched', ATLAS_REFINEMENTS, 'refinements');
  if (filters.osmUnmatched) out.push(['OSM unmatched', () => { filters.osmUnmatched = false; }]);
  each(filters.atlasOperators, 'ATLAS operator', null, 'atlasOperators');
  each(filters.osmOperators, 'OSM operator', null, 'osmOperators');
  each(filters.transportTypes, 'Type', TRANSPORT_TYPES, 'transportTypes');
  each(filters.osmEntityTypes, 'OSM entity', [['way', 'Ways'], ['node', 'Nodes']], 'osmEntityTypes');
  each(filters.osmGroupTypes, 'Group', OSM_GROUP_TYPES, 'osmGroupTypes');
  each(filters.cantons, 'Canton', null, 'cantons');
  each(filters.problemTypes, 'Problem', PROBLEM_TYPES, 'problemTypes');
  each(filters.priorities, 'Priority', PRIORITIES, 'priorities');
  if (filters.duplicatesOnly) out.push(['Duplicate ATLAS only', () => { filters.duplicatesOnly = false; }]);
  if (filters.topN != null) out.push([`Top ${filters.topN} distances`, () => { filters.topN = null; }]);
  const route = parseRouteToken(filters.route);
  if (route) out.push([`Line: ${route.id}${route.dir ? ` (direction ${route.dir})` : ''}`, () => { filters.route = null; }]);
  return out;
}
