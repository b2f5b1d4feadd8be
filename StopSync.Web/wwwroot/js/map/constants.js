// Map constants. The colours mirror the token block at the top of css/site.css (--map-*); change both together.

export const COLOURS = Object.freeze({
  atlasMatched: '#174092',
  osmMatched: '#4CAF50',
  atlasUnmatched: '#DC3545',
  osmUnmatched: '#6C757D',
  matchLine: '#174092',
  groupLine: '#4CAF50',
  priority: Object.freeze({ 1: '#DC3545', 2: '#F0AD4E', 3: '#6C757D' }),
});

export const GROUP_LINE_DASH = '6,4';

// Switzerland with a margin: the view stays inside it (full viscosity) and requests never ask for more.
export const SWISS_BOUNDS = [[45.5, 5.5], [48.0, 11.0]];
export const MIN_ZOOM = 8;
export const MAX_ZOOM = 20;
export const MAX_NATIVE_ZOOM = 19;

// Zoom policy (docs/08-site.md, "Zoom policy"): below 13 an overview, 13–14 a capped page, from 15 everything.
export const OVERVIEW_BELOW_ZOOM = 13;
export const FULL_FROM_ZOOM = 15;
export const CAPPED_LIMIT = 1800;

export const MATCH_LINE_MIN_ZOOM = 13;
export const GROUP_LINE_MIN_ZOOM = 17;
// From this zoom the stops a reviewer must tell apart become labelled, focusable markers: D (ATLAS duplicate),
// P (OSM platform), S (OSM railway station); the others stay circles.
export const LABEL_MIN_ZOOM = 18;
// Points closer than this (degrees, about 1 m) count as one position and are fanned out around it.
export const SAME_POSITION_DEGREES = 0.00001;
export const FAN_OUT_MIN_ZOOM = 15;
export const FAN_OUT_RADIUS_PX = 9;

// The request covers the view plus this share of its size on every side, so small pans need no new request.
export const BBOX_PADDING = 0.25;
export const LOAD_DEBOUNCE_MS = 150;

// This many tile errors without one tile loading switch to the offline base map.
export const TILE_ERROR_BURST = 4;

export const BOUNDARIES_ATTRIBUTION = 'Boundaries: Bundesamt für Statistik (BFS), GEOSTAT, via swiss-maps';
