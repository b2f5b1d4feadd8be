// Base layers: raster tiles when configured and reachable, else Switzerland drawn from the vendored swiss-maps
// TopoJSON (country, cantons, lakes), which needs nothing outside the site.
import { BOUNDARIES_ATTRIBUTION, MAX_NATIVE_ZOOM, MAX_ZOOM, TILE_ERROR_BURST } from './constants.js';

const BOUNDARIES_URL = '/lib/swiss-maps/ch-combined.json';

function offlineLayer() {
  const group = L.layerGroup([], { attribution: BOUNDARIES_ATTRIBUTION });
  group.ready = fetch(BOUNDARIES_URL)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`boundaries ${r.status}`))))
    .then((topology) => {
      const draw = (name, style) => L.geoJSON(topojson.feature(topology, topology.objects[name]), { style, interactive: false });
      group.addLayer(draw('country', { color: '#8a94a6', weight: 2, fillColor: '#f4f1ea', fillOpacity: 1 }));
      group.addLayer(draw('cantons', { color: '#a9b1bf', weight: 1, dashArray: '4,3', fill: false }));
      group.addLayer(draw('lakes', { color: '#7fa7d6', weight: 1, fillColor: '#b9d3f0', fillOpacity: 1 }));
      group.loaded = true;
    });
  return group;
}

// Returns the base layer control; calls onOffline(reason) when the page fell back to the offline map.
export function addBaseLayers(map, { tileUrl, tileAttribution, onOffline }) {
  const offline = offlineLayer();
  offline.ready.catch(() => {});
  const bases = {};
  let tiles = null;
  if (tileUrl) {
    tiles = L.tileLayer(tileUrl, {
      maxZoom: MAX_ZOOM, maxNativeZoom: MAX_NATIVE_ZOOM, attribution: tileAttribution, crossOrigin: false,
    });
    bases.OpenStreetMap = tiles;
  }
  bases['Offline (Swiss boundaries)'] = offline;
  (tiles ?? offline).addTo(map);
  if (!tiles) onOffline?.('no tile server is configured');

  if (tiles) {
    // A burst of errors with no tile loaded means the tile server is unreachable (offline, blocked, down).
    let errors = 0;
    let loaded = 0;
    tiles.on('tileload', () => { loaded += 1; });
    tiles.on('tileerror', () => {
      errors += 1;
      if (loaded === 0 && errors >= TILE_ERROR_BURST && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        offline.addTo(map);
        onOffline?.('the tile server could not be reached');
      }
    });
  }

  map.attributionControl.addAttribution(BOUNDARIES_ATTRIBUTION);
  return L.control.layers(bases, null, { position: 'bottomleft', collapsed: true }).addTo(map);
}
