// The stops map: loads the markers inside the visible bounds from /api/stops whenever the view settles.
// Every value that comes from data is inserted as text, never as HTML (OSM tags can hold anything).

const COLOURS = {
  matched: '#174092',
  osmMatched: '#4CAF50',
  effectively_matched: '#9CCC9C',
  atlas_unmatched: '#DC3545',
  osm_unmatched: '#6C757D',
};

// Drawn in this order, so what needs attention (unmatched ATLAS, red) lies on top and grey OSM-only points below.
const DRAW_ORDER = ['osm_unmatched', 'effectively_matched', 'matched', 'atlas_unmatched'];

// Switzerland with a margin: the map stays inside it and stop requests never ask for more.
const SWISS_BOUNDS = L.latLngBounds([45.5, 5.5], [48.0, 11.0]);

const element = document.getElementById('map');
const status = document.getElementById('mapStatus');
const map = L.map(element, { zoomControl: true, preferCanvas: false, minZoom: 7, maxBounds: SWISS_BOUNDS, maxBoundsViscosity: 1.0 })
  .setView([Number(element.dataset.centerLat), Number(element.dataset.centerLon)], Number(element.dataset.zoom));

if (element.dataset.tileUrl) {
  L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution }).addTo(map);
}

const layer = L.layerGroup().addTo(map);
let controller = null;

function popupContent(stop) {
  const root = document.createElement('div');
  const rows = [
    ['Name', stop.name],
    ['Type', stop.stop_type],
    ['Match', stop.match_type],
    ['SLOID', stop.sloid],
    ['OSM', stop.osm_node_id],
    ['Distance', stop.distance_m == null ? null : `${stop.distance_m.toFixed(1)} m`],
  ];
  for (const [label, value] of rows) {
    if (value == null) continue;
    const line = document.createElement('div');
    const strong = document.createElement('strong');
    strong.textContent = `${label}: `;
    line.append(strong, document.createTextNode(String(value)));
    root.append(line);
  }
  return root;
}

function draw(stops) {
  layer.clearLayers();
  const rank = (stop) => DRAW_ORDER.indexOf(stop.stop_type);
  for (const stop of [...stops].sort((a, b) => rank(a) - rank(b))) {
    const colour = COLOURS[stop.stop_type] ?? COLOURS.matched;
    const kind = stop.stop_type.replace(/[^a-z_]/g, '');
    L.circleMarker([stop.lat, stop.lon], {
      radius: 6, color: colour, fillColor: colour, fillOpacity: 0.8, weight: 1, className: `stop-marker stop-${kind}`,
    }).bindPopup(() => popupContent(stop)).addTo(layer);
    if (stop.stop_type === 'matched' && stop.osm_lat != null) {
      L.polyline([[stop.lat, stop.lon], [stop.osm_lat, stop.osm_lon]], { color: COLOURS.matched, weight: 1 }).addTo(layer);
      L.circleMarker([stop.osm_lat, stop.osm_lon], {
        radius: 4, color: COLOURS.osmMatched, fillColor: COLOURS.osmMatched, fillOpacity: 0.8, weight: 1, className: 'stop-marker stop-osm',
      }).bindPopup(() => popupContent(stop)).addTo(layer);
    }
  }
}

async function load() {
  controller?.abort();
  controller = new AbortController();
  const view = map.getBounds();
  const b = L.latLngBounds(
    [Math.max(view.getSouth(), SWISS_BOUNDS.getSouth()), Math.max(view.getWest(), SWISS_BOUNDS.getWest())],
    [Math.min(view.getNorth(), SWISS_BOUNDS.getNorth()), Math.min(view.getEast(), SWISS_BOUNDS.getEast())]);
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
  try {
    const response = await fetch(`${element.dataset.stopsUrl}?bbox=${bbox}`, { signal: controller.signal });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      layer.clearLayers();
      status.textContent = problem.detail ?? `Could not load stops (${response.status})`;
    } else {
      const body = await response.json();
      draw(body.stops);
      status.textContent = body.truncated ? `Showing the first ${body.stops.length} stops; zoom in for all` : `${body.stops.length} stops in view`;
    }
    element.dataset.loaded = 'true';
    window.mapReady = true;
  } catch (error) {
    if (error.name !== 'AbortError') {
      status.textContent = 'Could not load stops';
    }
  }
}

map.on('moveend', load);
load();
