// Viewport loading: debounced on moveend/zoomend, one padded bbox per request, stale requests aborted and late answers
// dropped, and a one-entry cache reused while the view stays inside the padded bounds it was loaded for.
import { getJson, isAbort } from './api.js';
import {
  BBOX_PADDING, CAPPED_LIMIT, FULL_FROM_ZOOM, LOAD_DEBOUNCE_MS, OVERVIEW_BELOW_ZOOM, SWISS_BOUNDS,
} from './constants.js';
import { hasFilters, toParams } from './filters.js';

// The zoom policy: { mode, params, limit, atlasOnly }.
export function policyFor(zoom, filters) {
  const filtered = hasFilters(filters);
  if (zoom < OVERVIEW_BELOW_ZOOM && !filtered) {
    return { mode: 'overview', params: new URLSearchParams({ stop_filter: 'atlas_unmatched' }), limit: CAPPED_LIMIT, atlasOnly: true };
  }
  if (zoom < FULL_FROM_ZOOM) {
    return { mode: zoom < OVERVIEW_BELOW_ZOOM ? 'overview-filtered' : 'capped', params: toParams(filters), limit: CAPPED_LIMIT, atlasOnly: false };
  }
  return { mode: 'full', params: toParams(filters), limit: null, atlasOnly: false };
}

const swiss = () => L.latLngBounds(SWISS_BOUNDS);

function padded(bounds) {
  const p = bounds.pad(BBOX_PADDING);
  const s = swiss();
  return L.latLngBounds(
    [Math.max(p.getSouth(), s.getSouth()), Math.max(p.getWest(), s.getWest())],
    [Math.min(p.getNorth(), s.getNorth()), Math.min(p.getEast(), s.getEast())]);
}

export class ViewportLoader {
  // onRows({ rows, policy, capped, fromCache }); onError(error); onLoading(bool)
  constructor(map, getFilters, { onRows, onError, onLoading }) {
    this.map = map;
    this.getFilters = getFilters;
    this.onRows = onRows;
    this.onError = onError;
    this.onLoading = onLoading;
    this.cache = null;
    this.controller = null;
    this.sequence = 0;
    this.timer = null;
    this.paused = false;
    this.requests = 0;
    const schedule = () => this.schedule();
    map.on('moveend zoomend', schedule);
  }

  schedule() {
    if (this.paused) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), LOAD_DEBOUNCE_MS);
  }

  // Filter changes: the cached rows no longer answer the question.
  invalidate() {
    this.cache = null;
    this.schedule();
  }

  pause() {
    this.paused = true;
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  resume() {
    this.paused = false;
    this.schedule();
  }

  async load() {
    const zoom = this.map.getZoom();
    const view = this.map.getBounds();
    const policy = policyFor(zoom, this.getFilters());
    const identity = `${policy.mode}|${policy.params}|${policy.limit ?? 'all'}`;
    const c = this.cache;
    if (c && c.identity === identity && c.bounds.contains(view) && (zoom <= c.zoom || !c.capped)) {
      this.controller?.abort();
      this.sequence += 1;
      this.onLoading(false);
      this.onRows({ rows: c.rows, policy, capped: c.capped, fromCache: true });
      return;
    }

    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const sequence = ++this.sequence;
    const bounds = padded(view);
    const params = new URLSearchParams(policy.params);
    params.set('bbox', [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()].map((v) => v.toFixed(6)).join(','));
    if (policy.limit != null) params.set('limit', String(policy.limit));
    params.set('include_meta', '1');
    this.onLoading(true);
    this.requests += 1;
    try {
      const body = await getJson('/api/data', params, controller.signal);
      if (sequence !== this.sequence) return;
      const rows = Array.isArray(body) ? body : body.stops;
      const capped = Array.isArray(body) ? false : Boolean(body.meta?.has_more);
      this.cache = { identity, bounds, zoom, capped, rows };
      this.onRows({ rows, policy, capped, fromCache: false });
    } catch (error) {
      if (!isAbort(error) && sequence === this.sequence) this.onError(error);
    } finally {
      if (sequence === this.sequence) this.onLoading(false);
    }
  }
}
