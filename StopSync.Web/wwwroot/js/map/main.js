// Entry point of the review map (docs/08-site.md, "Map"): wires the base map, viewport loader, marker layer, filter
// panel, chips, header summary, smart search, random stop, Top-N mode, stop card and the shareable URL together.
import { getJson, isAbort } from './api.js';
import { addBaseLayers } from './basemap.js';
import { CAPPED_LIMIT, FULL_FROM_ZOOM, MAX_ZOOM, MIN_ZOOM, OVERVIEW_BELOW_ZOOM, SWISS_BOUNDS } from './constants.js';
import { clear, el, metres } from './dom.js';
import { FilterPanel } from './filter-panel.js';
import { chips, emptyFilters, fromParams, hasFilters, toParams } from './filters.js';
import { ViewportLoader } from './loader.js';
import { StopLayer } from './render.js';
import { SearchBox } from './search-box.js';
import { parseQuery } from './search-parse.js';
import { StopCard } from './stop-card.js';

const mapElement = document.getElementById('map');
const config = mapElement.dataset;
const $ = (id) => document.getElementById(id);

// ---- state from the URL: filters in the query string, the view in the hash (#zoom/lat/lon), ?stop= a card to open.
const query = new URLSearchParams(window.location.search);
const filters = fromParams(query);
let openStopRef = null;

function viewFromHash() {
  const m = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
  if (!m) return null;
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number(m[1])));
  return { zoom, lat: Number(m[2]), lon: Number(m[3]) };
}

const initial = viewFromHash() ?? { zoom: Number(config.zoom), lat: Number(config.centerLat), lon: Number(config.centerLon) };
const map = L.map(mapElement, {
  zoomControl: false,
  minZoom: MIN_ZOOM,
  maxZoom: MAX_ZOOM,
  maxBounds: SWISS_BOUNDS,
  maxBoundsViscosity: 1.0,
  keyboard: true,
}).setView([initial.lat, initial.lon], initial.zoom);
L.control.zoom({ position: 'bottomleft' }).addTo(map);
L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
addBaseLayers(map, {
  tileUrl: config.tileUrl,
  tileAttribution: config.tileAttribution,
  onOffline: (reason) => {
    mapElement.dataset.baseMap = 'offline';
    if (config.tileUrl) $('baseMapStatus').textContent = `Offline base map: ${reason}.`;
  },
});
mapElement.dataset.baseMap = config.tileUrl ? 'tiles' : 'offline';

function writeUrl() {
  const params = toParams(filters, { includeTopN: true });
  if (openStopRef) params.set('stop', openStopRef);
  const c = map.getCenter();
  const search = params.toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}#${map.getZoom()}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}`;
  history.replaceState(null, '', url);
}

// ---- stop card
const card = new StopCard($('stopCard'), {
  onNavigate: (lat, lon) => map.panTo([lat, lon]),
  onOpen: (stop, viewType) => {
    const o = stop.osm;
    openStopRef = viewType === 'osm' && o ? `${o.element_type === 'way' ? 'way' : 'node'}/${o.osm_id}` : stop.atlas?.sloid
      ?? (o ? `${o.element_type === 'way' ? 'way' : 'node'}/${o.osm_id}` : null);
    document.body.classList.add('card-open');
    writeUrl();
  },
  onShowRoute: (displayRouteId) => showRoute(displayRouteId),
  onClose: () => {
    openStopRef = null;
    document.body.classList.remove('card-open');
    writeUrl();
    mapElement.focus();
  },
});

function flyAndOpen(id, viewType, lat, lon) {
  // The card takes its room first, so the flight ends with the stop in the middle of what is left of the map.
  const opening = card.open(id, viewType);
  map.invalidateSize({ animate: false });
  if (lat != null && lon != null) {
    const zoom = Math.max(map.getZoom(), 17);
    let target = L.latLng(lat, lon);
    // On phones the card is a sheet over the lower part of the map: the stop goes to the middle of the part above it.
    const sheet = $('stopCard');
    if (getComputedStyle(sheet).position === 'absolute') {
      // The sheet is still empty while its stop loads: take the height it grows to (max-height 62 % in css/map.css).
      const sheetHeight = Math.max(sheet.getBoundingClientRect().height, mapElement.clientHeight * 0.62);
      target = map.unproject(map.project(target, zoom).add([0, sheetHeight / 2]), zoom);
    }
    map.flyTo(target, zoom, { duration: 0.6 });
  }
  return opening;
}

// The map shares its row with the filter panel and the stop card; Leaflet learns of every change of its size.
new ResizeObserver(() => map.invalidateSize({ animate: false })).observe(mapElement);

// ---- markers and viewport loading
const layer = new StopLayer(map, (stop) => card.open(stop.id, stop.side));
const banner = $('zoomBanner');
const status = $('mapStatus');
let lastRows = [];
let lastPolicy = null;

function showBanner(text) {
  banner.textContent = text ?? '';
  banner.hidden = !text;
}

function rendered(rows, atlasOnly) {
  lastRows = rows;
  layer.render(rows, { atlasOnly });
  // Read by the browser tests (canvas markers are not elements): how many markers, how many renders so far.
  mapElement.dataset.markers = String(layer.markerCount);
  mapElement.dataset.renders = String(Number(mapElement.dataset.renders ?? 0) + 1);
  mapElement.dataset.loaded = 'true';
  window.mapReady = true;
}

const loader = new ViewportLoader(map, () => filters, {
  onRows: ({ rows, policy, capped }) => {
    lastPolicy = policy;
    rendered(rows, policy.atlasOnly);
    status.textContent = `${layer.markerCount} ${layer.markerCount === 1 ? 'stop' : 'stops'} on the map`;
    if (policy.mode === 'overview') {
      showBanner(`Overview: only ATLAS stops without an OSM match are shown below zoom ${OVERVIEW_BELOW_ZOOM}. Zoom in, or choose filters, to see the others.`);
    } else if (policy.mode !== 'full' && capped) {
      showBanner(hasFilters(filters)
        ? `Showing the first ${CAPPED_LIMIT} filtered results in this area; zoom in to ${FULL_FROM_ZOOM} to see them all.`
        : `Showing the first ${CAPPED_LIMIT} stops in this area; zoom in to ${FULL_FROM_ZOOM} to see them all.`);
    } else {
      showBanner(null);
    }
  },
  onError: (error) => {
    status.textContent = error.detail ?? 'Could not load stops.';
    // Over the rate limit (or the data briefly unavailable): the markers stay, and the view loads again once allowed.
    if ((error.status === 429 || error.status === 503) && error.retryAfter != null) {
      setTimeout(() => loader.schedule(), Math.min(error.retryAfter, 120) * 1000);
    }
  },
  onLoading: (loading) => {
    mapElement.setAttribute('aria-busy', loading ? 'true' : 'false');
  },
});

map.on('zoomend', () => {
  // Fan-out and line visibility depend on the zoom: redraw what is loaded while the next load is on its way.
  if (lastPolicy) layer.render(lastRows, { atlasOnly: lastPolicy.atlasOnly });
});
map.on('moveend', writeUrl);
window.addEventListener('hashchange', () => {
  const view = viewFromHash();
  if (view) map.setView([view.lat, view.lon], view.zoom);
});

// ---- header summary (filter-scoped, not viewport-scoped); answers to older requests are dropped.
let statsSequence = 0;
let statsController = null;
const number = (n) => (n == null ? '–' : Number(n).toLocaleString('en-US'));
async function loadStats() {
  const sequence = ++statsSequence;
  statsController?.abort();
  statsController = new AbortController();
  try {
    const s = await getJson('/api/global_stats', toParams(filters, { includeTopN: true }), statsController.signal);
    if (sequence !== statsSequence) return;
    const summary = $('summary');
    clear(summary);
    summary.append(
      el('span', {}, el('strong', { text: 'ATLAS ' }), `${number(s.matched_atlas_stops)} / ${number(s.total_atlas_stops)} matched`),
      el('span', {}, el('strong', { text: 'OSM ' }), `${number(s.matched_osm_stops)} / ${number(s.total_osm_stops)} stops matched`),
      el('span', {}, `${number(s.matched_pairs_count)} pairs`),
      el('span', {}, `${number(s.unmatched_entities_count)} unmatched`));
  } catch (error) {
    if (!isAbort(error) && sequence === statsSequence) $('summary').textContent = 'Figures unavailable.';
  }
}

// ---- Top-N mode: the N largest ATLAS–OSM distances under the filters, instead of the viewport.
let topSequence = 0;
async function loadTopMatches() {
  const sequence = ++topSequence;
  const list = $('topMatches');
  try {
    const params = toParams(filters);
    params.set('limit', String(filters.topN));
    const rows = await getJson('/api/top_matches', params);
    if (sequence !== topSequence || filters.topN == null) return;
    lastPolicy = { atlasOnly: false };
    rendered(rows, false);
    showBanner(null);
    status.textContent = `Top ${rows.length} distances`;
    clear(list);
    list.append(el('h2', { text: `Largest distances (${rows.length})` }));
    const ol = el('ol');
    for (const row of rows) {
      ol.append(el('li', {}, el('button', { type: 'button', class: 'link-like', onclick: () => flyAndOpen(row.id, 'atlas', row.lat, row.lon) },
        row.name ?? row.sloid ?? String(row.id)), ` ${metres(row.distance_m) ?? ''}`));
    }
    list.append(ol);
    list.hidden = false;
    const points = rows.filter((r) => r.lat != null).map((r) => [r.lat, r.lon]);
    if (points.length > 0) map.fitBounds(points, { padding: [40, 40], maxZoom: 16 });
  } catch (error) {
    if (sequence === topSequence) status.textContent = error.detail ?? 'Could not load the largest distances.';
  }
}

// ---- filters: panel, chips, URL, reload
function renderChips() {
  const box = $('filterChips');
  clear(box);
  const active = chips(filters);
  for (const [text, remove] of active) {
    box.append(el('button', { type: 'button', class: 'filter-chip', 'aria-label': `Remove filter ${text}`, onclick: () => {
      remove();
      panel.sync();
      filtersChanged();
      $('filtersToggle').focus();
    } }, text, el('span', { 'aria-hidden': 'true', text: ' ×' })));
  }
  box.hidden = active.length === 0;
  $('filterCount').textContent = active.length > 0 ? ` (${active.length})` : '';
}

let filterTimer = null;
function filtersChanged() {
  renderChips();
  writeUrl();
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    loadStats();
    if (filters.topN != null) {
      loader.pause();
      loadTopMatches();
    } else {
      $('topMatches').hidden = true;
      loader.resume();
      loader.invalidate();
    }
  }, 120);
}

const panel = new FilterPanel($('filterPanel'), filters, filtersChanged);
$('filterReset').addEventListener('click', () => {
  Object.assign(filters, emptyFilters());
  panel.sync();
  filtersChanged();
});

const toggle = $('filtersToggle');
const aside = $('filterAside');
function setPanel(open) {
  aside.hidden = !open;
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  map.invalidateSize();
}
toggle.addEventListener('click', () => {
  setPanel(aside.hidden);
  if (!aside.hidden) aside.querySelector('input, button, summary')?.focus();
});
setPanel(!window.matchMedia('(max-width: 760px)').matches);

// ---- lines: the route filter and the view around a line's stops
function setRoute(token) {
  filters.route = token;
  panel.sync();
  filtersChanged();
}

function fitRoute(hit) {
  const b = hit.bounds;
  if (b) map.fitBounds([[b.min_lat, b.min_lon], [b.max_lat, b.max_lon]], { padding: [40, 40], maxZoom: 16 });
}

// "Show on map" of a line in the stop card: the filter, then the whole line in view (the card stays open).
async function showRoute(displayRouteId) {
  setRoute(displayRouteId);
  try {
    fitRoute(await getJson('/api/stop_by_id', new URLSearchParams({ identifier: displayRouteId, identifier_type: 'route' })));
  } catch (error) {
    $('searchMessage').textContent = error.status === 404 ? `No stop found for line ${displayRouteId}.` : (error.detail ?? 'The line could not be shown.');
  }
}

// A line typed in the search box: its filter, its stops in view and the card of its first stop; a line nobody knows
// takes its filter back.
async function openRoute(parsed, typed) {
  const message = $('searchMessage');
  const before = filters.route;
  setRoute(parsed.identifier);
  message.textContent = `Looking up line ${typed}…`;
  try {
    const hit = await getJson('/api/stop_by_id', new URLSearchParams({ identifier: parsed.identifier, identifier_type: 'route' }));
    message.textContent = '';
    fitRoute(hit);
    card.open(hit.stop.id, hit.popup_view_type);
  } catch (error) {
    setRoute(before);
    message.textContent = error.status === 404 ? `No route found matching: ${typed}` : (error.detail ?? 'The lookup failed.');
  }
}

// ---- search, identifiers and random stop
async function openIdentifier(parsed, typed) {
  if (parsed.identifierType === 'route') {
    openRoute(parsed, typed);
    return;
  }
  const message = $('searchMessage');
  message.textContent = `Looking up ${parsed.typeName} ${typed}…`;
  try {
    const params = new URLSearchParams({ identifier: parsed.identifier, identifier_type: parsed.identifierType });
    const hit = await getJson('/api/stop_by_id', params);
    message.textContent = '';
    flyAndOpen(hit.stop.id, hit.popup_view_type, hit.center_lat, hit.center_lon);
  } catch (error) {
    message.textContent = error.status === 404 ? `No ${parsed.typeName} found matching: ${typed}` : (error.detail ?? 'The lookup failed.');
  }
}

const searchInput = $('searchInput');
new SearchBox($('searchForm'), {
  onPick: (hit) => flyAndOpen(hit.id, hit.viewType, hit.lat, hit.lon),
  onIdentifier: (parsed) => openIdentifier(parsed, searchInput.value.trim()),
});

$('randomStop').addEventListener('click', async () => {
  try {
    const hit = await getJson('/api/random_stop', toParams(filters, { includeTopN: true }));
    flyAndOpen(hit.stop.id, hit.popup_view_type, hit.center_lat, hit.center_lon);
  } catch (error) {
    $('searchMessage').textContent = error.detail ?? 'No stop found for the current filters.';
  }
});

// ---- start
renderChips();
loadStats();
if (filters.topN != null) {
  loader.pause();
  loadTopMatches();
} else {
  loader.schedule();
}
const stopParam = query.get('stop');
if (stopParam) {
  const parsed = parseQuery(stopParam);
  if (parsed.kind === 'id') openIdentifier(parsed, stopParam);
}
writeUrl();
