// Draws the loaded rows on one canvas: ATLAS and OSM circle markers, ATLAS↔OSM connectors and OSM pair/trio lines.
// A registry keyed atlas:<sloid> / osm:<node_id> / line keys reconciles each render: markers that stay are moved,
// new ones added, gone ones removed, so panning does not redraw what is already there.
import {
  COLOURS, FAN_OUT_MIN_ZOOM, FAN_OUT_RADIUS_PX, GROUP_LINE_DASH, GROUP_LINE_MIN_ZOOM, LABEL_MIN_ZOOM, MATCH_LINE_MIN_ZOOM, SAME_POSITION_DEGREES,
} from './constants.js';

const isMatched = (row) => row.stop_type === 'matched' || row.stop_type === 'effectively_matched';

// Points of one render: { key, side, lat, lon, colour, row, radius, rank }.
function pointsOf(rows, { atlasOnly }) {
  const points = new Map();
  for (const row of rows) {
    const atlasLat = row.atlas_lat ?? (row.stop_type !== 'osm_unmatched' ? row.lat : null);
    const atlasLon = row.atlas_lon ?? (row.stop_type !== 'osm_unmatched' ? row.lon : null);
    if (row.sloid && atlasLat != null && !points.has(`atlas:${row.sloid}`)) {
      points.set(`atlas:${row.sloid}`, {
        key: `atlas:${row.sloid}`, side: 'atlas', lat: atlasLat, lon: atlasLon, row, radius: 6,
        colour: isMatched(row) ? COLOURS.atlasMatched : COLOURS.atlasUnmatched, rank: isMatched(row) ? 2 : 3,
        colourClass: isMatched(row) ? 'atlas-matched' : 'atlas-unmatched',
      });
    }
    if (atlasOnly) continue;
    const osmLat = row.osm_lat ?? (row.stop_type === 'osm_unmatched' ? row.lat : null);
    const osmLon = row.osm_lon ?? (row.stop_type === 'osm_unmatched' ? row.lon : null);
    if (row.osm_node_id && osmLat != null && !points.has(`osm:${row.osm_node_id}`)) {
      points.set(`osm:${row.osm_node_id}`, {
        key: `osm:${row.osm_node_id}`, side: 'osm', lat: osmLat, lon: osmLon, row, radius: 5,
        colour: isMatched(row) ? COLOURS.osmMatched : COLOURS.osmUnmatched, rank: isMatched(row) ? 1 : 0,
        colourClass: isMatched(row) ? 'osm-matched' : 'osm-unmatched',
      });
    }
  }
  return [...points.values()];
}

// The letter of a labelled marker, or null for a plain circle.
function labelOf(p) {
  if (p.side === 'atlas') return p.row.has_atlas_duplicate ? 'D' : null;
  if (p.row.osm_node_type === 'platform') return 'P';
  return p.row.osm_node_type === 'railway_station' ? 'S' : null;
}

const LABEL_NAMES = { D: 'ATLAS duplicate', P: 'OSM platform', S: 'OSM railway station' };

function labelledMarker(p, label) {
  const icon = document.createElement('span');
  icon.className = `stop-icon ${p.colourClass}`;
  icon.textContent = label;
  const name = p.side === 'atlas' ? (p.row.sloid ?? '') : `OSM ${p.row.osm_node_id}`;
  return L.marker([p.lat, p.lon], {
    icon: L.divIcon({ html: icon, className: 'stop-icon-box', iconSize: [18, 18] }),
    keyboard: true,
    title: `${LABEL_NAMES[label]} ${name}`,
  });
}

// Points on the same spot are spread on a small circle (in screen pixels) so each stays clickable.
function fanOut(map, points) {
  if (map.getZoom() < FAN_OUT_MIN_ZOOM) return;
  const buckets = new Map();
  for (const p of points) {
    const cell = `${Math.round(p.lat / SAME_POSITION_DEGREES)}:${Math.round(p.lon / SAME_POSITION_DEGREES)}`;
    if (!buckets.has(cell)) buckets.set(cell, []);
    buckets.get(cell).push(p);
  }
  const zoom = map.getZoom();
  for (const group of buckets.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.side === b.side ? a.key.localeCompare(b.key) : a.side.localeCompare(b.side)));
    const centre = map.project([group[0].lat, group[0].lon], zoom);
    group.forEach((p, i) => {
      const angle = (2 * Math.PI * i) / group.length;
      const shifted = map.unproject(centre.add([Math.cos(angle) * FAN_OUT_RADIUS_PX, Math.sin(angle) * FAN_OUT_RADIUS_PX]), zoom);
      p.lat = shifted.lat;
      p.lon = shifted.lng;
    });
  }
}

function linesOf(rows, positions, zoom) {
  const lines = new Map();
  const at = (key, lat, lon) => positions.get(key) ?? [lat, lon];
  for (const row of rows) {
    if (zoom >= MATCH_LINE_MIN_ZOOM && isMatched(row) && row.sloid && row.osm_node_id && row.osm_lat != null) {
      const a = positions.get(`atlas:${row.sloid}`);
      const o = positions.get(`osm:${row.osm_node_id}`);
      if (a && o) lines.set(`match:${row.sloid}|${row.osm_node_id}`, { points: [a, o], colour: COLOURS.matchLine, dash: null });
    }
    if (zoom < GROUP_LINE_MIN_ZOOM || !row.osm_node_id) continue;
    const from = positions.get(`osm:${row.osm_node_id}`);
    if (!from) continue;
    const partners = [];
    if (row.osm_group_partner) {
      const g = row.osm_group_partner;
      partners.push([g.partner_node_id, g.partner_osm_lat, g.partner_osm_lon]);
    }
    for (const t of row.osm_trio_links ?? []) partners.push([t.partner_node_id, t.partner_osm_lat, t.partner_osm_lon]);
    for (const [id, lat, lon] of partners) {
      if (id == null || lat == null) continue;
      const pair = [String(row.osm_node_id), String(id)].sort();
      lines.set(`group:${pair[0]}|${pair[1]}`, { points: [from, at(`osm:${id}`, lat, lon)], colour: COLOURS.groupLine, dash: GROUP_LINE_DASH });
    }
  }
  return lines;
}

export class StopLayer {
  constructor(map, onSelect) {
    this.map = map;
    this.onSelect = onSelect;
    // Two canvases: connector lines below, markers above them (one canvas draws in insertion order).
    this.lineRenderer = L.canvas({ padding: 0.3 });
    this.renderer = L.canvas({ padding: 0.3, pane: 'markerPane' });
    this.lineGroup = L.layerGroup().addTo(map);
    this.markerGroup = L.layerGroup().addTo(map);
    this.markers = new Map();
    this.lines = new Map();
  }

  get markerCount() {
    return this.markers.size;
  }

  render(rows, { atlasOnly = false } = {}) {
    const points = pointsOf(rows, { atlasOnly });
    fanOut(this.map, points);
    // Unmatched ATLAS (red, needs attention) on top, unmatched OSM (grey) at the bottom.
    points.sort((a, b) => a.rank - b.rank);
    const positions = new Map(points.map((p) => [p.key, [p.lat, p.lon]]));

    const wanted = new Set(points.map((p) => p.key));
    for (const [key, marker] of this.markers) {
      if (!wanted.has(key)) {
        this.markerGroup.removeLayer(marker);
        this.markers.delete(key);
      }
    }
    const labelled = this.map.getZoom() >= LABEL_MIN_ZOOM;
    for (const p of points) {
      const label = labelled ? labelOf(p) : null;
      const signature = `${p.colour}|${p.radius}|${label ?? ''}`;
      let marker = this.markers.get(p.key);
      if (marker && marker.signature !== signature) {
        this.markerGroup.removeLayer(marker);
        marker = null;
      }
      if (marker) {
        const at = marker.getLatLng();
        if (at.lat !== p.lat || at.lng !== p.lon) marker.setLatLng([p.lat, p.lon]);
      } else {
        marker = label ? labelledMarker(p, label) : L.circleMarker([p.lat, p.lon], {
          renderer: this.renderer, radius: p.radius, color: '#ffffff', weight: 1.5, fillColor: p.colour, fillOpacity: 0.95,
        });
        marker.signature = signature;
        marker.on('click', () => this.onSelect(marker.stop));
        // Labelled markers take keyboard focus; Leaflet itself only opens popups on Enter.
        marker.on('keydown', (e) => {
          if (e.originalEvent.key === 'Enter' || e.originalEvent.key === ' ') {
            e.originalEvent.preventDefault();
            this.onSelect(marker.stop);
          }
        });
        this.markerGroup.addLayer(marker);
        this.markers.set(p.key, marker);
      }
      marker.stop = { id: p.row.id, side: p.side, lat: p.lat, lon: p.lon };
    }
    // Markers added late would lie under older ones: bring the attention-worthy ones up again.
    for (const p of points) if (p.rank >= 3) this.markers.get(p.key).bringToFront?.();

    const lines = linesOf(rows, positions, this.map.getZoom());
    for (const [key, line] of this.lines) {
      if (!lines.has(key)) {
        this.lineGroup.removeLayer(line);
        this.lines.delete(key);
      }
    }
    for (const [key, spec] of lines) {
      const existing = this.lines.get(key);
      if (existing) {
        existing.setLatLngs(spec.points);
      } else {
        const line = L.polyline(spec.points, {
          renderer: this.lineRenderer, color: spec.colour, weight: spec.dash ? 2 : 1.5, opacity: 0.85, dashArray: spec.dash, interactive: false,
        });
        this.lineGroup.addLayer(line);
        this.lines.set(key, line);
      }
    }
  }

  clear() {
    this.markerGroup.clearLayers();
    this.lineGroup.clearLayers();
    this.markers.clear();
    this.lines.clear();
  }
}
