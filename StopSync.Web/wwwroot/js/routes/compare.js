// The itinerary comparison (docs/08-site.md, "Routes"): both itineraries' stop calls aligned side by side from
// /api/routes/comparison, differences highlighted, editor links for the OSM relation, and a picker of other itineraries
// (/api/routes/comparison/options). Every value from data is inserted as text.
import { getJson, isAbort } from '../map/api.js';
import { clear, el } from '../map/dom.js';
import { idEditorUrl, josmLoadObjectUrl } from '../map/links.js';

const STATUS_TEXT = {
  same: '',
  other_platform: 'Other platform',
  missing_in_osm: 'Missing in OSM',
  extra_in_osm: 'Extra in OSM',
  out_of_order: 'Out of order',
  unpaired: '',
};

const SIDE_NAME = { atlas: 'ATLAS', osm: 'OSM' };

const root = document.getElementById('routeCompare');
const state = {
  atlasId: root.dataset.atlasId || null,
  osmId: root.dataset.osmId || null,
  comparison: null,
  picker: { source: null, q: '', unmatched: false, page: 1 },
  controller: null,
};

const percent = (v) => (v == null ? '–' : `${(v * 100).toFixed(1)} %`);

function externalLink(href, text, kind) {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', 'data-link': kind, text });
}

function compareUrl(atlasId, osmId) {
  const params = new URLSearchParams();
  if (atlasId) params.set('atlas_itinerary_id', atlasId);
  if (osmId) params.set('osm_itinerary_id', osmId);
  return `/routes/compare?${params}`;
}

function itineraryTitle(it) {
  return it.source === 'osm'
    ? it.to_name ?? it.display_name ?? it.headsign ?? it.source_itinerary_id
    : it.headsign ?? it.display_name ?? it.source_itinerary_id;
}

function head(side, it) {
  const section = root.querySelector(`.compare-head[data-side="${side}"]`);
  const body = section.querySelector('[data-head]');
  clear(body);
  body.className = '';
  if (!it) {
    body.className = 'muted';
    body.append(`No ${SIDE_NAME[side]} itinerary chosen: pick one below.`);
    return;
  }
  const dl = el('dl', { class: 'kv' });
  const add = (label, value) => {
    if (value == null || value === '') return;
    dl.append(el('dt', { text: label }), el('dd', {}, value instanceof Node ? value : String(value)));
  };
  add('Line', [it.route_id, it.route_name].filter(Boolean).join(' · '));
  add('Itinerary', itineraryTitle(it));
  if (it.display_name && it.display_name !== itineraryTitle(it)) add('Name', it.display_name);
  add('Direction', it.direction_id ?? 'unknown');
  add('Operator', it.operator);
  add('Stops', it.stop_count);
  if (side === 'atlas') add('Trips', it.trip_count);
  add('Id', it.source_itinerary_id);
  body.append(dl);
  if (side === 'osm' && it.relation_id) {
    const relation = { element_type: 'relation', osm_id: it.relation_id };
    body.append(el('p', { class: 'links' },
      externalLink(`https://www.openstreetmap.org/relation/${encodeURIComponent(it.relation_id)}`, `Relation ${it.relation_id} on OSM`, 'relation'),
      ' · ',
      externalLink(idEditorUrl(relation), 'Edit in iD', 'id'),
      ' · ',
      // JOSM's remote control runs on the reviewer's machine; the link loads the relation with its members.
      externalLink(josmLoadObjectUrl(relation), 'Load in JOSM', 'josm')));
  }
}

function callCell(call, side) {
  if (!call) return el('td', { class: 'gap', text: '—' });
  const ids = side === 'atlas'
    ? [call.sloid, call.sloid ? null : `stop_id ${call.source_stop_id}`]
    : [call.osm_node_id ? `${call.osm_node_id.startsWith('way_') ? 'way' : 'node'} ${call.osm_node_id.replace('way_', '')}` : null, call.sloid];
  const details = [...ids, call.uic_ref ? `UIC ${call.uic_ref}` : null, call.platform_code ? `platform ${call.platform_code}` : null,
    side === 'osm' && call.member_role ? `role ${call.member_role}` : null].filter(Boolean);
  return el('td', { class: 'call' },
    el('span', { class: 'call-label', text: call.label }),
    details.length ? el('span', { class: 'call-ids', text: details.join(' · ') }) : null);
}

function renderRows(comparison) {
  const body = root.querySelector('#compareTable tbody');
  clear(body);
  for (const row of comparison.rows) {
    body.append(el('tr', { class: `row-${row.status}`, 'data-status': row.status },
      el('td', { class: 'seq', text: row.atlas?.sequence ?? '' }),
      callCell(row.atlas, 'atlas'),
      callCell(row.osm, 'osm'),
      el('td', { class: 'seq', text: row.osm?.sequence ?? '' }),
      el('td', { class: 'status' }, STATUS_TEXT[row.status] ? el('span', { class: `status-badge ${row.status}`, text: STATUS_TEXT[row.status] }) : null)));
  }
}

function renderSummary(c) {
  const summary = document.getElementById('compareSummary');
  clear(summary);
  if (!c.atlas || !c.osm) {
    summary.append('Only one itinerary is shown; pick the other side below to compare.');
    return;
  }
  const parts = [`Stop score ${percent(c.stop_score)}`, `${c.matched_stops} of ${Math.max(c.atlas_stop_count, c.osm_stop_count)} stops in order`];
  const diffs = Object.entries(c.differences ?? {}).map(([k, n]) => `${STATUS_TEXT[k] ?? k}: ${n}`);
  if (diffs.length) parts.push(diffs.join(', '));
  parts.push(c.direction_status === 'conflict' ? 'directions differ' : c.direction_status === 'match' ? 'same direction' : 'direction unknown');
  summary.append(el('strong', { class: 'stop-score', text: parts[0] }), ` · ${parts.slice(1).join(' · ')}`);
  if (c.saved_match) {
    summary.append(el('span', { class: 'saved-match', text: ` · matched by route matching (${c.saved_match.match_reason})` }));
  }
}

async function loadComparison() {
  const params = new URLSearchParams();
  if (state.atlasId) params.set('atlas_itinerary_id', state.atlasId);
  if (state.osmId) params.set('osm_itinerary_id', state.osmId);
  try {
    const c = await getJson('/api/routes/comparison', params);
    state.comparison = c;
    head('atlas', c.atlas);
    head('osm', c.osm);
    renderRows(c);
    renderSummary(c);
    root.dataset.loaded = 'true';
  } catch (error) {
    const summary = document.getElementById('compareSummary');
    clear(summary);
    summary.append(el('span', { class: 'error', text: error.detail ?? error.message }));
    for (const side of ['atlas', 'osm']) {
      const body = root.querySelector(`.compare-head[data-side="${side}"] [data-head]`);
      clear(body);
    }
    root.dataset.loaded = 'error';
  }
}

// The picker lists the side opposite to the one kept: with only an ATLAS itinerary, OSM candidates, and so on.
function fixedFor(source) {
  return source === 'osm' ? state.atlasId : state.osmId;
}

function renderOptions(answer) {
  const list = document.getElementById('pickerList');
  const status = document.getElementById('pickerStatus');
  const pager = document.getElementById('pickerPager');
  clear(list);
  clear(status);
  clear(pager);
  const { source } = state.picker;
  status.append(answer.total === 0 ? 'No itinerary matches.' : `${answer.total} itineraries; page ${answer.page} of ${answer.pages}.`);
  if (answer.best && fixedFor(source)) {
    status.append(' Best fit: ', optionLink(answer.best), '.');
  }
  for (const option of answer.items) {
    list.append(el('li', {}, optionLink(option)));
  }
  const go = (page) => el('button', { type: 'button', class: 'button', text: page < answer.page ? 'Previous' : 'Next', onclick: () => loadOptions(page) });
  if (answer.page > 1) pager.append(go(answer.page - 1));
  if (answer.page < answer.pages) pager.append(go(answer.page + 1));
}

function optionLink(option) {
  const it = option.itinerary;
  const target = it.source === 'atlas' ? compareUrl(it.id, state.osmId) : compareUrl(state.atlasId, it.id);
  const text = `${it.route_id}${it.route_name && it.route_name !== it.route_id ? ` ${it.route_name}` : ''} – ${itineraryTitle(it)}`
    + ` (dir ${it.direction_id ?? '?'}, ${it.stop_count} stops${it.is_matched ? ', matched' : ''})`;
  const link = el('a', { href: target, 'data-option': it.id, text });
  return option.stop_score == null ? link : el('span', {}, link, el('span', { class: 'option-score', text: ` ${percent(option.stop_score)}` }));
}

async function loadOptions(page = 1) {
  state.picker.page = page;
  const { source, q, unmatched } = state.picker;
  const params = new URLSearchParams({ source, page: String(page) });
  if (q) params.set('q', q);
  params.set('unmatched', unmatched ? '1' : '0');
  const fixed = fixedFor(source);
  if (fixed) params.set('fixed_itinerary_id', fixed);
  // Without a search, open the page that holds the itinerary already shown on that side.
  const current = source === 'atlas' ? state.atlasId : state.osmId;
  if (current && !q && page === 1) params.set('anchor_id', current);
  state.controller?.abort();
  state.controller = new AbortController();
  try {
    renderOptions(await getJson('/api/routes/comparison/options', params, state.controller.signal));
  } catch (error) {
    if (isAbort(error)) return;
    const status = document.getElementById('pickerStatus');
    clear(status);
    status.append(el('span', { class: 'error', text: error.detail ?? error.message }));
  }
}

function initPicker() {
  const form = document.getElementById('pickerForm');
  // Default side: the one not yet chosen, else OSM (the side a mapper edits).
  const source = state.atlasId && !state.osmId ? 'osm' : !state.atlasId && state.osmId ? 'atlas' : 'osm';
  form.elements.source.value = source;
  state.picker.source = source;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.picker.source = form.elements.source.value;
    state.picker.q = form.elements.q.value.trim();
    state.picker.unmatched = form.elements.unmatched.checked;
    loadOptions(1);
  });
  form.elements.source.addEventListener('change', () => form.requestSubmit());
  loadOptions(1);
}

loadComparison();
initPicker();
