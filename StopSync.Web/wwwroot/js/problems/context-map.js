// The problems page's map: the current stop highlighted, and its context — the other stops of about 2 km around it
// (the map's own markers and lines), OSM pair/trio partners and the nearest counterpart with a line and its distance.
import { getJson, isAbort } from '../map/api.js';
import { addBaseLayers } from '../map/basemap.js';
import { COLOURS, MAX_ZOOM, MIN_ZOOM, SWISS_BOUNDS } from '../map/constants.js';
import { el, metres } from '../map/dom.js';
import { StopLayer } from '../map/render.js';

// Half the side of the context box, in degrees of latitude (about 2 km); longitude is widened by 1/cos(lat).
const CONTEXT_HALF_DEGREES = 0.018;
const CONTEXT_DEBOUNCE_MS = 250;
const HIGHLIGHT = '#f0ad4e';

export function haversineMetres(lat1, lon1, lat2, lon2) {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

// The ATLAS and OSM points a context row contributes, as the map draws them.
export function sidesOf(row) {
  const out = [];
  const aLat = row.atlas_lat ?? (row.stop_type !== 'osm_unmatched' ? row.lat : null);
  const aLon = row.atlas_lon ?? (row.stop_type !== 'osm_unmatched' ? row.lon : null);
  if (row.sloid && aLat != null) out.push({ side: 'atlas', id: row.sloid, lat: aLat, lon: aLon, row });
  const oLat = row.osm_lat ?? (row.stop_type === 'osm_unmatched' ? row.lat : null);
  const oLon = row.osm_lon ?? (row.stop_type === 'osm_unmatched' ? row.lon : null);
  if (row.osm_node_id && oLat != null) out.push({ side: 'osm', id: String(row.osm_node_id), lat: oLat, lon: oLon, row });
  return out;
}

// Context rows without the current stop's own entities (by SLOID and OSM id, never by position): a row that shares
// one of them keeps its other side.
export function withoutEntities(rows, sloids, osmIds) {
  const out = [];
  for (const row of rows) {
    const dropAtlas = row.sloid && sloids.has(row.sloid);
    const dropOsm = row.osm_node_id && osmIds.has(String(row.osm_node_id));
    if (!dropAtlas && !dropOsm) {
      out.push(row);
    } else if (!(dropAtlas && dropOsm)) {
      const copy = { ...row };
      if (dropAtlas) copy.sloid = null;
      if (dropOsm) copy.osm_node_id = null;
      out.push(copy);
    }
  }
  return out;
}

// Counterparts of the other side than `side`, nearest first: [{side, id, lat, lon, distance, row}].
export function nearestCounterparts(rows, side, lat, lon, count = 5) {
  const other = side === 'atlas' ? 'osm' : 'atlas';
  const seen = new Map();
  for (const row of rows) {
    for (const p of sidesOf(row)) {
      if (p.side !== other || seen.has(p.id)) continue;
      seen.set(p.id, { ...p, distance: haversineMetres(lat, lon, p.lat, p.lon) });
    }
  }
  return [...seen.values()].sort((a, b) => a.distance - b.distance).slice(0, count);
}

export class ContextMap {
  // onPick({side, id, row}) when a context marker is chosen (a counterpart for "same stop").
  constructor(element, { tileUrl, tileAttribution, centerLat, centerLon, zoom, onPick, onStatus }) {
    this.element = element;
    this.onPick = onPick;
    this.onStatus = onStatus;
    // Arrow keys step through the queue on this page, so Leaflet's keyboard panning is off.
    this.map = L.map(element, { zoomControl: false, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, maxBounds: SWISS_BOUNDS, maxBoundsViscosity: 1.0, keyboard: false })
      .setView([centerLat, centerLon], zoom);
    L.control.zoom({ position: 'bottomleft' }).addTo(this.map);
    L.control.scale({ position: 'bottomleft', imperial: false }).addTo(this.map);
    addBaseLayers(this.map, { tileUrl, tileAttribution, onOffline: () => { element.dataset.baseMap = 'offline'; } });
    element.dataset.baseMap = tileUrl ? 'tiles' : 'offline';
    this.rowsById = new Map();
    this.layer = new StopLayer(this.map, (stop) => {
      const row = this.rowsById.get(stop.id);
      if (row) this.onPick?.({ side: stop.side, id: stop.side === 'atlas' ? row.sloid : String(row.osm_node_id), row });
    });
    this.focusGroup = L.layerGroup().addTo(this.map);
    this.cache = null;
    this.controller = null;
    this.timer = null;
    this.current = null;
    this.rows = [];
    new ResizeObserver(() => this.map.invalidateSize({ animate: false })).observe(element);
  }

  // Shows an entry: highlight now, context once loaded. entry.points: [{side, id, lat, lon}] of the stop's entities.
  show(focus) {
    this.current = focus;
    this.markPick(null);
    const points = focus.points;
    if (points.length > 0) {
      const bounds = L.latLngBounds(points.map((p) => [p.lat, p.lon]));
      this.map.fitBounds(bounds.pad(0.5), { maxZoom: 18, animate: false });
      if (points.length === 1 || bounds.getNorthEast().distanceTo(bounds.getSouthWest()) < 30) {
        this.map.setView(bounds.getCenter(), 18, { animate: false });
      }
    }
    this.drawFocus([]);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loadContext(focus), CONTEXT_DEBOUNCE_MS);
  }

  async loadContext(focus) {
    const centre = focus.points[0];
    if (!centre) return;
    const halfLat = CONTEXT_HALF_DEGREES;
    const halfLon = CONTEXT_HALF_DEGREES / Math.max(0.2, Math.cos((centre.lat * Math.PI) / 180));
    const c = this.cache;
    // The last answer serves while the stop lies well inside the box it covered (a step through one town).
    if (c && Math.abs(centre.lat - c.lat) < halfLat / 2 && Math.abs(centre.lon - c.lon) < halfLon / 2) {
      this.rendered(focus, c.rows);
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const bbox = [centre.lat - halfLat, centre.lon - halfLon, centre.lat + halfLat, centre.lon + halfLon].map((v) => v.toFixed(6)).join(',');
    this.element.setAttribute('aria-busy', 'true');
    try {
      const body = await getJson('/api/problems/context', new URLSearchParams({ bbox }), controller.signal);
      if (this.controller !== controller) return;
      const rows = Array.isArray(body) ? body : body.stops ?? [];
      this.cache = { lat: centre.lat, lon: centre.lon, rows };
      if (this.current === focus) this.rendered(focus, rows);
    } catch (error) {
      if (isAbort(error) || this.controller !== controller) return;
      this.onStatus?.(error.detail ?? 'The stops around could not be loaded.');
      // Over the rate limit: the highlight stays, and the context loads again once allowed.
      if ((error.status === 429 || error.status === 503) && error.retryAfter != null) {
        setTimeout(() => { if (this.current === focus) this.loadContext(focus); }, Math.min(error.retryAfter, 120) * 1000);
      }
    } finally {
      if (this.controller === controller) this.element.setAttribute('aria-busy', 'false');
    }
  }

  rendered(focus, rows) {
    const sloids = new Set(focus.points.filter((p) => p.side === 'atlas').map((p) => p.id));
    const osmIds = new Set(focus.points.filter((p) => p.side === 'osm').map((p) => p.id));
    this.rows = withoutEntities(rows, sloids, osmIds);
    this.rowsById = new Map(this.rows.map((r) => [r.id, r]));
    this.layer.render(this.rows);
    this.element.dataset.contextMarkers = String(this.layer.markerCount);
    this.element.dataset.contextFor = focus.ref;
    this.drawFocus(this.rows);
    focus.onContext?.(this.rows);
  }

  // The current stop drawn over the context: its points ringed, its match line, partner lines, the nearest counterpart.
  drawFocus(contextRows) {
    const focus = this.current;
    this.focusGroup.clearLayers();
    if (!focus) return;
    const atlas = focus.points.find((p) => p.side === 'atlas');
    const osm = focus.points.find((p) => p.side === 'osm');
    if (atlas && osm && focus.matched) {
      this.focusGroup.addLayer(L.polyline([[atlas.lat, atlas.lon], [osm.lat, osm.lon]], { color: COLOURS.matchLine, weight: 3, interactive: false }));
    }
    for (const partner of focus.partners ?? []) {
      if (!osm || partner.lat == null) continue;
      this.focusGroup.addLayer(L.polyline([[osm.lat, osm.lon], [partner.lat, partner.lon]], { color: COLOURS.groupLine, weight: 2.5, dashArray: '6,4', interactive: false }));
      this.focusGroup.addLayer(L.circleMarker([partner.lat, partner.lon], { radius: 6, color: COLOURS.groupLine, weight: 2, fillColor: '#ffffff', fillOpacity: 0.9, interactive: false }));
    }
    // The nearest counterpart: the match itself when there is one, else the closest stop of the other side around.
    let line = null;
    if (atlas && osm && focus.matched) {
      line = { from: atlas, to: osm, distance: focus.distance ?? haversineMetres(atlas.lat, atlas.lon, osm.lat, osm.lon), label: 'matched' };
    } else if (focus.points.length > 0) {
      const from = focus.points[0];
      const nearest = nearestCounterparts(contextRows, from.side, from.lat, from.lon, 1)[0];
      if (nearest) line = { from, to: nearest, distance: nearest.distance, label: 'nearest' };
    }
    this.element.dataset.nearest = line ? `${line.label} ${line.to.side}:${line.to.id ?? ''} ${Math.round(line.distance)}` : '';
    if (line) {
      const polyline = L.polyline([[line.from.lat, line.from.lon], [line.to.lat, line.to.lon]], {
        color: line.label === 'matched' ? COLOURS.matchLine : COLOURS.atlasUnmatched, weight: 2, dashArray: line.label === 'matched' ? null : '4,4', interactive: false,
      });
      // Text content only: the tooltip gets an element, never a string Leaflet would read as HTML.
      polyline.bindTooltip(el('span', { text: `${line.label === 'matched' ? 'Match' : 'Nearest counterpart'}: ${metres(line.distance)}` }),
        { permanent: true, direction: 'center', className: 'distance-tooltip' });
      this.focusGroup.addLayer(polyline);
    }
    for (const p of focus.points) {
      const colour = p.side === 'atlas' ? (focus.matched ? COLOURS.atlasMatched : COLOURS.atlasUnmatched) : (focus.matched ? COLOURS.osmMatched : COLOURS.osmUnmatched);
      this.focusGroup.addLayer(L.circleMarker([p.lat, p.lon], { radius: 13, color: HIGHLIGHT, weight: 4, fill: false, interactive: false }));
      this.focusGroup.addLayer(L.circleMarker([p.lat, p.lon], { radius: 8, color: '#ffffff', weight: 2, fillColor: colour, fillOpacity: 1, interactive: false }));
    }
    for (const p of focus.related ?? []) {
      this.focusGroup.addLayer(L.circleMarker([p.lat, p.lon], { radius: 10, color: HIGHLIGHT, weight: 2, dashArray: '3,3', fill: false, interactive: false }));
    }
  }

  // A counterpart the reviewer picked: ringed in the highlight colour.
  markPick(pick) {
    this.pickLayer?.remove();
    this.pickLayer = null;
    if (!pick || pick.lat == null) return;
    this.pickLayer = L.circleMarker([pick.lat, pick.lon], { radius: 12, color: '#7b2cbf', weight: 3, fill: false, interactive: false }).addTo(this.map);
  }
}
