// The GTFS stop_id ↔ SLOID map (docs/08-site.md, "GTFS stops ↔ SLOIDs"): GTFS stops and ATLAS platforms of the view
// with a line from each resolved stop_id to its SLOID(s), a summary of the resolution, an identifier search and lazy
// popups. Every value from data goes into the page as text (dom.js), never as markup.
import { getJson, isAbort } from '../map/api.js';
import { addBaseLayers } from '../map/basemap.js';
import { BBOX_PADDING, COLOURS as MAP_COLOURS, LOAD_DEBOUNCE_MS, MAX_ZOOM, MIN_ZOOM, SWISS_BOUNDS } from '../map/constants.js';
import { clear, el, metres } from '../map/dom.js';

const API = '/api/routes/gtfs-stop-id-sloid';

// The same values as the tokens of css/gtfs-stops.css and css/site.css; change both together.
export const COLOURS = Object.freeze({
  atlasMatched: MAP_COLOURS.atlasMatched,
  atlasUnmatched: MAP_COLOURS.atlasUnmatched,
  gtfsMatched: '#fd7e14',
  gtfsUnmatched: '#8a939e',
  line: '#fd7e14',
});

// From this zoom the server sends the stops of the view (up to 5000 a side) instead of an overview sample.
export const DETAIL_FROM_ZOOM = 11;
const SEARCH_ZOOM = 17;
const RETRY_FALLBACK_SECONDS = 30;

const METHOD_LABELS = Object.freeze({
  original_stop_id: 'original_stop_id = SLOID',
  uic_platform: 'UIC number + platform',
  coordinate_proximity: 'same UIC within 0.5 m',
  unique_number: 'only platform of the UIC number',
  unmatched: 'unresolved',
});

export const methodLabel = (method) => METHOD_LABELS[method] ?? method;

// What an identifier typed without a chosen type most likely is: a SLOID, a 7-digit UIC number, else a GTFS stop_id.
export function guessKind(value) {
  if (/^ch:\d+:sloid:/i.test(value)) return 'sloid';
  if (/^\d{7}$/.test(value)) return 'uic';
  return 'stop_id';
}

const number = new Intl.NumberFormat('en-US');
const fmt = (n) => (n == null ? '–' : number.format(n));
const percent = (p) => (p == null ? '–' : `${p.toFixed(1)} %`);
const confidence = (c) => (c == null ? '–' : c.toFixed(2));

// ---- pieces of the popups, each built from text nodes

function fields(pairs) {
  const dl = el('dl');
  for (const [label, value] of pairs) {
    if (value == null || value === '') continue;
    dl.append(el('dt', { text: label }), el('dd', {}, value));
  }
  return dl;
}

function jumpButton(label, type, id, lat, lon) {
  return el('button', { type: 'button', class: 'link-like', 'data-jump': `${type}:${id}`, onclick: () => openPopup(type, id, [lat, lon], true) }, label);
}

function atlasItem(p) {
  return el('li', {}, jumpButton(p.sloid, 'atlas', p.sloid, p.lat, p.lon),
    ` ${[p.name, p.designation && `(${p.designation})`].filter(Boolean).join(' ')} · ${metres(p.distance_m)}`);
}

function gtfsItem(p) {
  return el('li', {}, jumpButton(p.stop_id, 'gtfs', p.stop_id, p.lat, p.lon),
    ` ${p.name}${p.platform_code ? ` (platform ${p.platform_code})` : ''} · ${methodLabel(p.resolution_method)} · ${metres(p.distance_m)}`);
}

function list(title, items, total, empty) {
  const section = el('section', {}, el('h4', { text: total > items.length ? `${title} (${items.length} nearest of ${total})` : `${title} (${items.length})` }));
  section.append(items.length ? el('ul', {}, items) : el('p', { class: 'muted', text: empty }));
  return section;
}

export function gtfsPopupContent(data) {
  const s = data.stop;
  return [
    el('div', { class: 'kind', text: s.matched ? 'GTFS stop · resolved' : 'GTFS stop · unresolved' }),
    el('h3', { text: s.name }),
    fields([
      ['stop_id', s.stop_id], ['UIC number', s.uic_number], ['Platform', s.platform_code ?? s.local_ref], ['stop_code', s.stop_code],
      ['original_stop_id', s.original_stop_id], ['Identity', s.identity_level], ['Parent station', s.parent_station],
      ['Method', methodLabel(s.resolution_method)], ['Confidence', confidence(s.confidence)],
      ['Distance (tier 3)', s.distance_m == null ? null : metres(s.distance_m)],
    ]),
    el('p', { class: 'explanation', text: s.resolution_explanation }),
    list('Resolved to', data.resolved.map(atlasItem), data.resolved.length, 'No SLOID.'),
    list('Other ATLAS platforms with this UIC number', data.same_uic_candidates.map(atlasItem), data.same_uic_candidate_count, 'None.'),
  ];
}

export function atlasPopupContent(data) {
  const s = data.stop;
  return [
    el('div', { class: 'kind', text: s.matched ? 'ATLAS platform · reached by a stop_id' : 'ATLAS platform · no stop_id resolves here' }),
    el('h3', { text: [s.name, s.designation && `(${s.designation})`].filter(Boolean).join(' ') || s.sloid }),
    fields([['SLOID', s.sloid], ['UIC number', s.uic_ref], ['Operator', s.operator]]),
    list('GTFS stops resolved here', data.resolved_by.map(gtfsItem), data.resolved_by.length, 'None.'),
    list('Other GTFS stops with this UIC number', data.same_uic_candidates.map(gtfsItem), data.same_uic_candidate_count, 'None.'),
  ];
}

// ---- summary overlay

export function summaryContent(s) {
  if (!s.available) return [el('p', { class: 'unavailable', text: s.message ?? 'No GTFS identity data in the live dataset.' })];
  const table = el('table', {},
    el('thead', {}, el('tr', {}, el('th', { text: 'Method' }), el('th', { class: 'number', text: 'Stops' }), el('th', { class: 'number', text: 'Conf.' }))),
    el('tbody', {}, s.by_method.map((m) => el('tr', { 'data-method': m.method },
      el('td', { text: methodLabel(m.method) }), el('td', { class: 'number', text: fmt(m.count) }), el('td', { class: 'number', text: confidence(m.confidence) })))));
  return [
    el('ul', { class: 'figures' },
      el('li', { 'data-figure': 'gtfs' }, `GTFS stops: ${fmt(s.gtfs_stops.total)}, resolved ${fmt(s.gtfs_stops.matched)} (${percent(s.gtfs_stops.coverage_percent)})`),
      el('li', { 'data-figure': 'atlas' }, `ATLAS platforms: ${fmt(s.atlas_stops.total)}, reached ${fmt(s.atlas_stops.matched)} (${percent(s.atlas_stops.coverage_percent)})`),
      el('li', { 'data-figure': 'cardinality' }, `One SLOID: ${fmt(s.one_to_one)} · several: ${fmt(s.one_to_many)}`)),
    table,
  ];
}

// ---- the page (only where its map element exists, so that tests may import the functions above anywhere)

const mapElement = document.getElementById('gtfsMap');
const $ = (id) => document.getElementById(id);
let map = null;
let renderer = null;
let lineRenderer = null;
let lineLayer = null;
let atlasLayer = null;
let gtfsLayer = null;
let available = true;
let search = null;
let pendingPopup = null;
let controller = null;
let timer = null;

function markerStyle(fill, radius) {
  return { renderer, radius, color: '#ffffff', weight: 1, fillColor: fill, fillOpacity: 0.9 };
}

function tooltip(text) {
  return () => el('span', { text });
}

export async function openPopup(type, id, latlng, pan = false) {
  const body = el('div', { class: 'gtfs-popup', 'data-entity-type': type, 'data-id': id, 'data-state': 'loading' }, 'Loading…');
  // The search box and the summary float over the map's top corners: a popup opening under them pans clear.
  const popup = L.popup({ maxWidth: 380, autoPanPaddingTopLeft: [20, 140], autoPanPaddingBottomRight: [20, 20] }).setLatLng(latlng).setContent(body).openOn(map);
  if (pan) map.panTo(latlng);
  try {
    const data = await getJson(`${API}/popup`, new URLSearchParams({ entity_type: type, id }));
    clear(body);
    body.append(...(type === 'gtfs' ? gtfsPopupContent(data) : atlasPopupContent(data)));
    body.dataset.state = 'ready';
  } catch (error) {
    clear(body);
    body.append(el('p', { class: 'error', text: error.status === 404 ? 'This stop is no longer in the published data.' : `Could not load: ${error.message}` }));
    body.dataset.state = 'error';
  }
  popup.update();
}

function render(data) {
  lineLayer.clearLayers();
  atlasLayer.clearLayers();
  gtfsLayer.clearLayers();
  const detail = data.meta.mode === 'detail';
  for (const m of data.matches) {
    L.polyline([[m.gtfs_lat, m.gtfs_lon], [m.atlas_lat, m.atlas_lon]],
      { renderer: lineRenderer, color: COLOURS.line, weight: detail ? 2 : 1, opacity: 0.85, interactive: false }).addTo(lineLayer);
  }
  for (const a of data.atlas_stops) {
    const label = `ATLAS ${a.sloid}${a.name ? ` · ${a.name}` : ''}${a.designation ? ` (${a.designation})` : ''}`;
    L.circleMarker([a.lat, a.lon], markerStyle(a.matched ? COLOURS.atlasMatched : COLOURS.atlasUnmatched, detail ? 6 : 3.5))
      .bindTooltip(tooltip(label))
      .on('click', () => openPopup('atlas', a.sloid, [a.lat, a.lon]))
      .addTo(atlasLayer);
  }
  for (const g of data.gtfs_stops) {
    const label = `GTFS ${g.stop_id} · ${g.name}`;
    L.circleMarker([g.lat, g.lon], markerStyle(g.matched ? COLOURS.gtfsMatched : COLOURS.gtfsUnmatched, detail ? 4.5 : 2.5))
      .bindTooltip(tooltip(label))
      .on('click', () => openPopup('gtfs', g.stop_id, [g.lat, g.lon]))
      .addTo(gtfsLayer);
  }

  const meta = data.meta;
  $('gtfsStatus').textContent = `${detail ? 'Detail' : 'Overview'}: ${fmt(meta.gtfs_returned)} of ${fmt(meta.gtfs_total)} GTFS stops, `
    + `${fmt(meta.atlas_returned)} of ${fmt(meta.atlas_total)} ATLAS platforms`
    + (meta.capped ? (detail ? ' (capped)' : `; a balanced sample, zoom to ${DETAIL_FROM_ZOOM} for all`) : '');
  // Read by the browser tests (canvas markers are not elements).
  mapElement.dataset.gtfsMarkers = String(data.gtfs_stops.length);
  mapElement.dataset.atlasMarkers = String(data.atlas_stops.length);
  mapElement.dataset.lines = String(data.matches.length);
  mapElement.dataset.renders = String(Number(mapElement.dataset.renders ?? 0) + 1);
  mapElement.dataset.loaded = 'true';

  if (pendingPopup) {
    const { type, id, latlng } = pendingPopup;
    pendingPopup = null;
    openPopup(type, id, latlng);
  }
}

function viewParams() {
  const b = map.getBounds().pad(BBOX_PADDING);
  const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
  const params = new URLSearchParams({
    min_lat: clamp(b.getSouth(), 90), min_lon: clamp(b.getWest(), 180),
    max_lat: clamp(b.getNorth(), 90), max_lon: clamp(b.getEast(), 180),
    zoom: String(map.getZoom()), include_matches: '1',
  });
  if (search) {
    params.set('search_kind', search.kind);
    params.set('search_value', search.value);
  }
  return params;
}

async function load() {
  if (!available) return;
  controller?.abort();
  controller = new AbortController();
  mapElement.setAttribute('aria-busy', 'true');
  try {
    render(await getJson(`${API}/map`, viewParams(), controller.signal));
  } catch (error) {
    if (isAbort(error)) return;
    if (error.status === 503 || error.status === 429) {
      const wait = error.retryAfter ?? RETRY_FALLBACK_SECONDS;
      $('gtfsStatus').textContent = `${error.detail ?? 'Temporarily unavailable.'} Retrying in ${wait} s.`;
      clearTimeout(timer);
      timer = setTimeout(load, wait * 1000);
    } else {
      $('gtfsStatus').textContent = `Could not load the stops: ${error.message}`;
    }
  } finally {
    mapElement.setAttribute('aria-busy', 'false');
  }
}

function scheduleLoad() {
  clearTimeout(timer);
  timer = setTimeout(load, LOAD_DEBOUNCE_MS);
}

// The view lives in the hash (#zoom/lat/lon), so that a view can be shared; the page itself takes no query.
function viewFromHash() {
  const m = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
  if (!m) return null;
  return { zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number(m[1]))), lat: Number(m[2]), lon: Number(m[3]) };
}

function writeHash() {
  const c = map.getCenter();
  history.replaceState(null, '', `${window.location.pathname}#${map.getZoom()}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}`);
}

async function loadSummary() {
  const body = $('gtfsSummaryBody');
  try {
    const summary = await getJson(`${API}/summary`);
    clear(body);
    body.append(...summaryContent(summary));
    $('gtfsSummary').dataset.available = String(summary.available);
    return summary.available;
  } catch (error) {
    clear(body);
    body.append(el('p', { class: 'error', text: `Figures unavailable: ${error.message}` }));
    return true;
  }
}

async function onSearch(event) {
  event.preventDefault();
  const message = $('gtfsSearchMessage');
  const value = $('gtfsSearchInput').value.trim();
  if (!value) {
    message.textContent = 'Type a SLOID, a UIC number or a GTFS stop_id.';
    return;
  }
  const chosen = $('gtfsSearchKind').value;
  const kind = chosen === 'auto' ? guessKind(value) : chosen;
  message.textContent = 'Searching…';
  try {
    const data = await getJson(`${API}/search`, new URLSearchParams({ search_kind: kind, search_value: value }));
    search = { kind: data.search.kind, value: data.search.value };
    const first = data.targets[0];
    const atlas = data.targets.filter((t) => t.entity_type === 'atlas').length;
    message.textContent = `Found ${atlas} ATLAS platform${atlas === 1 ? '' : 's'} and ${data.targets.length - atlas} GTFS stop${data.targets.length - atlas === 1 ? '' : 's'}.`;
    pendingPopup = { type: first.entity_type, id: first.id, latlng: [first.lat, first.lon] };
    map.closePopup();
    if (data.targets.length === 1) map.setView([first.lat, first.lon], Math.max(map.getZoom(), SEARCH_ZOOM), { animate: false });
    else map.fitBounds(data.bounds, { maxZoom: SEARCH_ZOOM, padding: [40, 40], animate: false });
    scheduleLoad();
  } catch (error) {
    message.textContent = error.status === 404 || error.status === 400 ? (error.detail ?? 'Nothing found.') : `Search failed: ${error.message}`;
  }
}

async function start() {
  const view = viewFromHash()
    ?? { zoom: Number(mapElement.dataset.zoom), lat: Number(mapElement.dataset.centerLat), lon: Number(mapElement.dataset.centerLon) };
  map = L.map(mapElement, {
    zoomControl: false, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, maxBounds: SWISS_BOUNDS, maxBoundsViscosity: 1.0, keyboard: true,
  }).setView([view.lat, view.lon], view.zoom);
  L.control.zoom({ position: 'bottomleft' }).addTo(map);
  L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
  addBaseLayers(map, {
    tileUrl: mapElement.dataset.tileUrl,
    tileAttribution: mapElement.dataset.tileAttribution,
    onOffline: (reason) => {
      mapElement.dataset.baseMap = 'offline';
      if (mapElement.dataset.tileUrl) $('gtfsBaseMapStatus').textContent = `Offline base map: ${reason}.`;
    },
  });
  // Panes of their own above the overlay pane, where the offline base map draws its filled country: lines over the
  // base map, markers over the lines (one canvas draws in insertion order, so ATLAS first and GTFS on top).
  map.createPane('gtfsLines').style.zIndex = '450';
  map.createPane('gtfsMarkers').style.zIndex = '620';
  lineRenderer = L.canvas({ padding: 0.3, pane: 'gtfsLines' });
  renderer = L.canvas({ padding: 0.3, pane: 'gtfsMarkers' });
  // Lines under the platforms, GTFS stops on top: a stop_id is drawn over the platform it names.
  lineLayer = L.layerGroup().addTo(map);
  atlasLayer = L.layerGroup().addTo(map);
  gtfsLayer = L.layerGroup().addTo(map);
  new ResizeObserver(() => map.invalidateSize({ animate: false })).observe(mapElement);
  $('gtfsSearch').addEventListener('submit', onSearch);
  // On a phone the open summary would cover most of the map: it starts folded there.
  if (window.matchMedia('(max-width: 40rem)').matches) $('gtfsSummary').open = false;

  available = await loadSummary();
  if (!available) {
    mapElement.dataset.gtfsMarkers = '0';
    mapElement.dataset.atlasMarkers = '0';
    mapElement.dataset.loaded = 'true';
    $('gtfsStatus').textContent = 'Nothing to draw: the live dataset has no GTFS stops.';
    return;
  }
  map.on('moveend', () => {
    writeHash();
    scheduleLoad();
  });
  window.addEventListener('hashchange', () => {
    const next = viewFromHash();
    if (next) map.setView([next.lat, next.lon], next.zoom);
  });
  load();
}

if (mapElement) start();
