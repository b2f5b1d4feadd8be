// The stop card (docs/08-site.md, "Stop card"): a side panel (a bottom sheet on phones) with the ATLAS side and the OSM
// side of a stop next to each other, its other matches, problems, attribute comparison, all OSM tags and editor links.
// Loaded lazily from /api/stop_popup when a marker or search hit is chosen.
import { getJson, isAbort } from './api.js';
import { clear, el, metres } from './dom.js';
import { idEditorUrl, josmAddTagsUrl, josmLoadObjectUrl, josmZoomUrl } from './links.js';

const STOP_TYPES = {
  matched: 'Matched',
  effectively_matched: 'Matched (middle of an OSM trio)',
  atlas_unmatched: 'ATLAS without OSM match',
  osm_unmatched: 'OSM without ATLAS match',
};

const MODES = {
  bus: 'Bus', tram: 'Tram', rail: 'Train', metro: 'Metro', ferry: 'Ferry', aerialway: 'Aerialway', funicular: 'Funicular', other: 'Other',
};

const MATCH_METHODS = {
  exact_gtfs_route_id: 'same GTFS route id',
  normalized_route_id: 'same route id apart from the timetable year',
  display_route_id: 'same line part of the route id',
  ref_and_stops: 'same ref and stops',
};

const ATTRIBUTE_NAMES = { uic_ref: 'UIC reference', local_ref: 'Local reference', name: 'Name', operator: 'Operator' };

function rows(pairs) {
  const dl = el('dl', { class: 'kv' });
  for (const [label, value] of pairs) {
    if (value == null || value === '') continue;
    dl.append(el('dt', { text: label }), el('dd', {}, value instanceof Node ? value : String(value)));
  }
  return dl;
}

const coord = (lat, lon) => (lat == null || lon == null ? null : `${Number(lat).toFixed(6)}, ${Number(lon).toFixed(6)}`);

function externalLink(href, text, kind) {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'card-link', 'data-link': kind, text });
}

function atlasSide(a, stop) {
  const side = el('section', { class: 'card-side atlas-side', 'aria-label': 'ATLAS side' });
  if (!a) {
    side.append(el('h3', { text: 'ATLAS' }), el('p', { class: 'muted', text: 'No ATLAS stop is matched to this OSM element.' }));
    return side;
  }
  side.append(el('h3', { text: stop.stop_type === 'atlas_unmatched' ? 'ATLAS (unmatched)' : 'ATLAS' }));
  const operator = [a.business_org_abbr, a.business_org_name].filter(Boolean).join(' – ');
  const validity = a.valid_from || a.valid_to ? `${a.valid_from ?? '…'} – ${a.valid_to ?? '…'}` : null;
  side.append(rows([
    ['SLOID', a.sloid],
    ['UIC', a.uic_ref],
    ['Official name', a.designation_official],
    ['Designation', a.designation],
    ['Operational', a.designation_operational],
    ['Operator', operator],
    ['Parent', a.parent_service_point_sloid],
    ['Element type', a.element_type],
    ['Valid', validity],
    ['Compass', a.compass_direction],
    ['LV95', a.lv95_east != null ? `${a.lv95_east}, ${a.lv95_north}` : null],
    ['WGS84', coord(a.lat, a.lon)],
    ['Edition', a.edition_date],
    ['Canton', a.canton],
    ['Duplicates', (a.duplicate_group_sloids ?? []).length > 0 ? a.duplicate_group_sloids.join(', ') : null],
  ]));
  if (a.atlas_url) side.append(el('p', { class: 'links' }, externalLink(a.atlas_url, 'ATLAS service point', 'atlas')));
  return side;
}

function osmSide(o, stop) {
  const side = el('section', { class: 'card-side osm-side', 'aria-label': 'OSM side' });
  if (!o) {
    side.append(el('h3', { text: 'OSM' }), el('p', { class: 'muted', text: 'No OSM element is matched to this ATLAS stop.' }));
    return side;
  }
  side.append(el('h3', { text: `${stop.stop_type === 'osm_unmatched' ? 'OSM (unmatched)' : 'OSM'} ${o.element_type ?? 'node'} ${o.osm_id}` }));
  const unit = o.stop_unit;
  side.append(rows([
    ['Name', o.name],
    ['UIC name', o.uic_name],
    ['UIC ref', o.uic_ref],
    ['Local ref', o.local_ref],
    ['Network', o.network],
    ['Operator', o.operator],
    ['Operator wikidata', o.operator_wikidata],
    ['Network wikidata', o.network_wikidata],
    ['Type', o.osm_node_type],
    ['WGS84', coord(o.lat, o.lon)],
    ['Version', o.version],
    ['Last edit', o.timestamp],
    ['By', o.user],
    ['Canton', o.canton],
    ['Stop unit', unit ? `${unit.stop_kind}${unit.group_kind ? ` (${unit.group_kind})` : ''}: ${(unit.members ?? []).map((m) => `${m.node_id} ${m.member_role}`).join(', ')}` : null],
  ]));
  const links = el('p', { class: 'links' });
  if (o.osm_url) links.append(externalLink(o.osm_url, `OSM ${o.element_type ?? 'node'}`, 'osm'));
  links.append(externalLink(idEditorUrl(o), 'Edit in iD', 'id'));
  // JOSM's remote control listens on the reviewer's own machine; a hidden frame would be blocked by the CSP.
  links.append(externalLink(josmLoadObjectUrl(o), 'Load in JOSM', 'josm-load'));
  if (o.lat != null) links.append(externalLink(josmZoomUrl(o), 'Zoom JOSM here', 'josm-zoom'));
  const addTags = josmAddTagsUrl(o, stop.missing_osm_tags);
  if (addTags) {
    const what = Object.entries(stop.missing_osm_tags).map(([k, v]) => `${k}=${v}`).join(', ');
    links.append(externalLink(addTags, `Add missing tags in JOSM (${what})`, 'josm-addtags'));
  }
  side.append(links);
  return side;
}

// The map address that shows only this line's stops (docs/08-site.md, "Route filter").
export const routeFilterUrl = (displayRouteId) => `/?${new URLSearchParams({ route: displayRouteId })}`;
export const routesPageUrl = (displayRouteId) => `/routes?${new URLSearchParams({ q: displayRouteId })}`;

function directionText(d) {
  const to = d.headsign ? `→ ${d.headsign}` : '→ ?';
  const dir = d.direction_id != null ? ` (direction ${d.direction_id})` : '';
  return `${to}${dir}${d.matched ? '' : ', itinerary not matched'}`;
}

// "Lines calling here" of one side: each line with its directions, its counterpart and the links that show it.
// onShowRoute(displayRouteId) filters the map in place; without it the link opens the map with the filter.
function linesSection(side, label, otherLabel, onShowRoute) {
  const lines = side?.lines ?? [];
  const total = side?.total ?? 0;
  const box = el('details', { class: 'card-lines', open: true, 'data-lines': label.toLowerCase() },
    el('summary', { text: `Lines calling here (${total})` }));
  if (lines.length === 0) {
    box.append(el('p', { class: 'muted small', text: `No ${label} line calls at this stop.` }));
    return box;
  }
  const list = el('ul', { class: 'line-list' });
  for (const line of lines) {
    const ref = line.ref && line.ref !== line.display_route_id ? `${line.ref} ` : '';
    const head = el('p', { class: 'line-head' },
      el('strong', { class: 'line-id', text: `${ref}${line.display_route_id}` }), ' ',
      el('span', { class: 'line-mode', text: MODES[line.mode] ?? line.mode }),
      line.name && line.name !== line.ref ? ` · ${line.name}` : '',
      line.operator ? ` · ${line.operator}` : '');
    let match;
    if (line.matched_to) {
      const m = line.matched_to;
      const how = MATCH_METHODS[m.match_method] ?? m.match_method;
      match = `Matched to ${otherLabel} ${m.ref && m.ref !== m.display_route_id ? `${m.ref} ` : ''}${m.display_route_id}${how ? ` (${how})` : ''}`;
    } else if (line.is_non_gtfs) {
      match = 'Not in the timetable (non-GTFS line, not matched)';
    } else {
      match = `Not matched to any ${otherLabel} line`;
    }
    const show = el('a', { href: routeFilterUrl(line.display_route_id), class: 'card-link', 'data-link': 'route-filter', text: 'Show on map' });
    if (onShowRoute) {
      show.addEventListener('click', (event) => {
        event.preventDefault();
        onShowRoute(line.display_route_id);
      });
    }
    list.append(el('li', { class: `line ${line.matched_to ? 'matched' : 'unmatched'}`, 'data-line': line.display_route_id },
      head,
      el('p', { class: 'small line-directions', text: (line.directions ?? []).map(directionText).join(' · ') }),
      el('p', { class: 'small line-match', text: match }),
      el('p', { class: 'links' }, show, el('a', { href: routesPageUrl(line.display_route_id), class: 'card-link', 'data-link': 'route-page', text: 'Route page' }))));
  }
  box.append(list);
  if (total > lines.length) box.append(el('p', { class: 'muted small line-more', text: `and ${total - lines.length} more` }));
  return box;
}

const CHANGE_SIDES = { atlas: 'ATLAS', osm: 'OSM', both: 'both', matching: 'matching' };

// "Changed since last run": the live publication's changes to this SLOID or OSM element (docs/08-site.md, "The stop
// card"); nothing when there are none. Each line is text from the server, inserted as text.
function changesSection(stop) {
  const changes = stop.changes ?? [];
  if (changes.length === 0) return null;
  const list = el('ul', { class: 'change-lines' });
  for (const c of changes) {
    const side = String(c.cause).replace(/[^a-z]/g, '');
    list.append(el('li', { 'data-change-type': c.change_type, 'data-side': side },
      el('span', { class: `side-badge side-${side}`, text: CHANGE_SIDES[side] ?? side }), ' ', c.text ?? ''));
  }
  const section = el('section', { class: 'card-section card-changes', 'aria-label': 'Changed since last run' },
    el('h3', { text: 'Changed since last run' }), list);
  if (stop.changes_url) {
    section.append(el('p', { class: 'links' }, el('a', { href: stop.changes_url, class: 'card-link', 'data-link': 'changes', text: 'All changes of this run' })));
  }
  return section;
}

function matchesSection(stop, viewType, onOpenMatch) {
  const section = el('section', { class: 'card-section matches' });
  const group = (heading, items) => {
    if (items.length === 0) return;
    const list = el('ul', { class: 'match-list' });
    for (const [id, type, label, detail, lat, lon, current] of items) {
      const button = el('button', { type: 'button', class: 'link-like', 'aria-current': current ? 'true' : null, onclick: () => onOpenMatch?.(id, type, lat, lon) }, label);
      list.append(el('li', {}, button, detail ? ` ${detail}` : ''));
    }
    section.append(el('h3', { text: `${heading} (${items.length})` }), list);
  };
  group('OSM elements matched to this SLOID', (stop.osm_matches ?? []).map((m) => [m.id, 'osm', `${m.name ?? 'OSM'} (${m.osm_node_id})`,
    [m.osm_node_type, metres(m.distance_m), m.match_type].filter(Boolean).join(' · '), m.lat, m.lon,
    viewType === 'osm' && m.osm_node_id === stop.osm?.osm_node_id]));
  group('ATLAS stops matched to this OSM element', (stop.atlas_matches ?? []).map((m) => [m.id, 'atlas',
    `${m.designation_official ?? m.designation ?? m.sloid} (${m.sloid})`,
    [m.business_org_abbr, metres(m.distance_m), m.match_type].filter(Boolean).join(' · '), m.lat, m.lon,
    viewType === 'atlas' && m.sloid === stop.atlas?.sloid]));
  return section;
}

// The card's title: the ATLAS name, else the OSM name, else the element.
export function stopTitle(stop) {
  const a = stop.atlas;
  const o = stop.osm;
  return a?.designation_official ?? a?.designation ?? o?.name ?? o?.uic_name ?? (o ? `OSM ${o.element_type} ${o.osm_id}` : 'Stop');
}

// Everything the card shows below its title, as nodes: the problems page shows the same two sides of a stop.
// onOpenMatch(id, viewType, lat, lon) when one of the other matches is chosen; problems: false leaves the problem list out.
// onShowRoute(displayRouteId) when a line's "Show on map" is chosen (else the link opens the map filtered by it).
export function stopDetails(stop, viewType, { onOpenMatch, onShowRoute, problems = true } = {}) {
  const a = stop.atlas;
  const o = stop.osm;
  const nodes = [];
  nodes.push(el('div', { class: 'card-summary' },
    el('p', { class: `stop-type type-${String(stop.stop_type).replace(/[^a-z_]/g, '')}`, text: STOP_TYPES[stop.stop_type] ?? stop.stop_type }),
    stop.match_explanation ? el('p', { class: 'explanation', text: stop.match_explanation }) : null,
    rows([['Distance', metres(stop.distance_m)], ['Match method', stop.match_type], ['Canton', stop.canton]])));

  if (problems && (stop.problems ?? []).length > 0) {
    const list = el('ul', { class: 'problems' });
    for (const p of stop.problems) {
      list.append(el('li', {},
        el('span', { class: `priority p${Number(p.priority) || 3}`, text: `P${Number(p.priority) || '?'}` }), ' ',
        el('strong', { text: p.problem_type }), ' ',
        p.description ?? ''));
    }
    nodes.push(el('section', { class: 'card-section', 'aria-label': 'Problems' }, el('h3', { text: 'Problems' }), list));
  }

  const changes = changesSection(stop);
  if (changes) nodes.push(changes);

  const atlas = atlasSide(a, stop);
  const osm = osmSide(o, stop);
  // Lines only where a side exists and the publication has lines at all (none at either side: no section).
  const lines = stop.lines;
  if ((lines?.atlas?.total ?? 0) + (lines?.osm?.total ?? 0) > 0) {
    if (a) atlas.append(linesSection(lines.atlas, 'ATLAS', 'OSM', onShowRoute));
    if (o) osm.append(linesSection(lines.osm, 'OSM', 'ATLAS', onShowRoute));
  }
  nodes.push(el('div', { class: 'card-sides' }, atlas, osm));
  nodes.push(matchesSection(stop, viewType, onOpenMatch));

  if ((stop.attributes ?? []).length > 0) {
    const table = el('table', { class: 'compare' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Attribute' }), el('th', { scope: 'col', text: 'ATLAS' }), el('th', { scope: 'col', text: 'OSM' }))));
    const tbody = el('tbody');
    for (const attr of stop.attributes) {
      tbody.append(el('tr', { class: attr.differs ? 'differs' : null },
        el('th', { scope: 'row' }, ATTRIBUTE_NAMES[attr.attribute] ?? attr.attribute, attr.differs ? el('span', { class: 'differs-mark', text: ' (differs)' }) : null),
        el('td', { text: attr.atlas ?? '—' }), el('td', { text: attr.osm ?? '—' })));
    }
    table.append(tbody);
    nodes.push(el('section', { class: 'card-section' }, el('h3', { text: 'Attribute comparison' }), table));
  }

  const tags = Object.entries(o?.tags ?? {}).sort(([x], [y]) => x.localeCompare(y));
  if (tags.length > 0) {
    const tbody = el('tbody');
    for (const [k, v] of tags) tbody.append(el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { text: v })));
    nodes.push(el('details', { class: 'card-section tags' },
      el('summary', { text: `All OSM tags (${tags.length})` }), el('table', { class: 'tag-table' }, tbody)));
  }
  return nodes;
}

export class StopCard {
  // onNavigate(lat, lon) pans to a stop the card switched to; onClose() after the card closed; onShowRoute(id) filters by a line.
  constructor(root, { onNavigate, onClose, onOpen, onShowRoute }) {
    this.root = root;
    this.title = root.querySelector('#stopCardTitle');
    this.body = root.querySelector('#stopCardBody');
    this.onNavigate = onNavigate;
    this.onClose = onClose;
    this.onOpen = onOpen;
    this.onShowRoute = onShowRoute;
    this.controller = null;
    this.current = null;
    root.querySelector('#stopCardClose').addEventListener('click', () => this.close());
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen() {
    return !this.root.hidden;
  }

  async open(stopId, viewType) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.root.hidden = false;
    this.root.dataset.state = 'loading';
    this.title.textContent = 'Loading stop…';
    clear(this.body);
    this.title.focus();
    try {
      const params = new URLSearchParams({ stop_id: String(stopId), view_type: viewType === 'osm' ? 'osm' : 'atlas' });
      const { stop } = await getJson('/api/stop_popup', params, controller.signal);
      if (this.controller !== controller) return;
      this.current = { id: stopId, viewType, stop };
      this.render(stop, viewType);
      this.root.dataset.state = 'ready';
      this.onOpen?.(stop, viewType);
      this.title.focus();
    } catch (error) {
      if (isAbort(error) || this.controller !== controller) return;
      this.root.dataset.state = 'error';
      this.title.textContent = 'Stop not available';
      this.body.append(el('p', { class: 'error', text: error.detail ?? 'The stop could not be loaded.' }));
    }
  }

  close() {
    if (this.root.hidden) return;
    this.controller?.abort();
    this.root.hidden = true;
    this.root.dataset.state = 'closed';
    this.current = null;
    this.onClose?.();
  }

  render(stop, viewType) {
    const a = stop.atlas;
    const o = stop.osm;
    this.title.textContent = stopTitle(stop);
    // Read by the browser tests: which stop the card shows.
    this.root.dataset.sloid = a?.sloid ?? '';
    this.root.dataset.uic = a?.uic_ref ?? '';
    this.root.dataset.osmId = o?.osm_node_id ?? '';
    clear(this.body);
    this.body.append(...stopDetails(stop, viewType, {
      onOpenMatch: (id, type, lat, lon) => {
        if (lat != null) this.onNavigate?.(lat, lon);
        this.open(id, type);
      },
      onShowRoute: this.onShowRoute,
    }));
  }
}
