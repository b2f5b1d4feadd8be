// The side panel of the problems page: the problems of the current stop (what is wrong, type, priority, review state,
// before/after, history, editor links) and both sides of the stop as the map's stop card shows them.
import { getJson, isAbort } from '../map/api.js';
import { clear, el, metres } from '../map/dom.js';
import {
  idEditorAtUrl, idEditorUrl, josmFixTagsUrl, josmLoadObjectUrl, josmZoomAtUrl, josmZoomUrl, osmElement,
} from '../map/links.js';
import { stopDetails, stopTitle } from '../map/stop-card.js';
import { routeFilterUrl, routesPageUrl } from '../map/stop-card.js';
import {
  ATTRIBUTES, MEMBERSHIP_KINDS, STATE_LABELS, TYPE_LABELS, decisionSummary, differencesOf, evidenceLines, formatWhen, isRouteProblem,
  kindLabel,
} from './review.js';

function link(href, text, kind) {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'card-link', 'data-link': kind, text });
}

export function itemTitle(item) {
  return item.atlas_name ?? item.osm_name ?? item.sloid ?? (item.osm_node_id ? `OSM ${item.osm_node_id}` : `Stop ${item.stop_id}`);
}

// The editor links of one problem: those of the map's stop card, and for attributes the JOSM fix that sets each
// differing OSM tag to the ATLAS value of the evidence.
export function problemLinks(item) {
  const box = el('p', { class: 'links problem-links' });
  const osm = osmElement(item.osm_node_id, item.osm_lat, item.osm_lon);
  if (osm) {
    box.append(link(idEditorUrl(osm), 'Edit in iD', 'id'), link(josmLoadObjectUrl(osm), 'Load in JOSM', 'josm-load'));
    if (osm.lat != null && osm.lon != null) box.append(link(josmZoomUrl(osm), 'Zoom JOSM here', 'josm-zoom'));
    if (item.problem === 'attributes') {
      const fix = josmFixTagsUrl(osm, differencesOf(item.evidence));
      if (fix) {
        const what = differencesOf(item.evidence).filter((d) => d.atlas != null && d.atlas !== '').map((d) => `${d.attribute}=${d.atlas}`).join(', ');
        box.append(link(fix, `Fix it in JOSM (${what})`, 'josm-fix'));
      }
    }
  } else if (item.atlas_lat != null && item.atlas_lon != null) {
    box.append(link(idEditorAtUrl(item.atlas_lat, item.atlas_lon), 'Map it in iD here', 'id-here'),
      link(josmZoomAtUrl(item.atlas_lat, item.atlas_lon), 'Zoom JOSM here', 'josm-zoom'));
  }
  return box;
}

function attributeTable(differences) {
  const tbody = el('tbody');
  for (const d of differences) {
    tbody.append(el('tr', { class: 'differs' },
      el('th', { scope: 'row' }, d.attribute, el('span', { class: 'muted small', text: ` (ATLAS ${ATTRIBUTES[d.attribute]?.atlas ?? d.attribute})` })),
      el('td', { text: d.atlas ?? '—' }), el('td', { text: d.osm ?? '—' })));
  }
  return el('table', { class: 'compare evidence-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Attribute' }), el('th', { scope: 'col', text: 'ATLAS' }), el('th', { scope: 'col', text: 'OSM' }))),
    tbody);
}

// The line of a route problem (docs/09-review.md, "Route problems"): which line and families, what kind, the values
// that differ, and links to the routes page, the itinerary comparison and the map filtered by the line.
function routeBox(item) {
  const route = item.route ?? {};
  const evidence = item.evidence ?? {};
  const line = route.line ?? evidence.line ?? null;
  const box = el('div', { class: 'route-problem', 'data-line': line ?? '' });
  const facts = [];
  if (line) facts.push(['Line', line]);
  if (route.atlas_family ?? evidence.atlas_family) facts.push(['ATLAS line', route.atlas_family ?? evidence.atlas_family]);
  if (route.osm_family ?? evidence.osm_family) facts.push(['OSM line', route.osm_family ?? evidence.osm_family]);
  if (evidence.kind) facts.push(['Kind', MEMBERSHIP_KINDS[evidence.kind] ?? String(evidence.kind)]);
  if (evidence.stop_count != null) facts.push(['Stops', String(evidence.stop_count)]);
  const dl = el('dl', { class: 'kv' });
  for (const [k, v] of facts) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  box.append(dl);
  const differences = differencesOf(evidence);
  if (item.problem === 'route_metadata' && differences.length > 0) {
    const tbody = el('tbody');
    for (const d of differences) {
      tbody.append(el('tr', { class: 'differs' }, el('th', { scope: 'row', text: d.attribute }), el('td', { text: d.atlas ?? '—' }), el('td', { text: d.osm ?? '—' })));
    }
    box.append(el('table', { class: 'compare evidence-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Line attribute' }), el('th', { scope: 'col', text: 'ATLAS' }), el('th', { scope: 'col', text: 'OSM' }))),
      tbody));
  }
  const links = el('p', { class: 'links route-links' });
  if (line) {
    links.append(el('a', { href: routesPageUrl(line), class: 'card-link', 'data-link': 'route-page', text: 'Line on the routes page' }));
    links.append(el('a', { href: routeFilterUrl(line), class: 'card-link', 'data-link': 'route-filter', text: 'Line on the map' }));
  }
  if (route.atlas_itinerary_id != null && route.osm_itinerary_id != null) {
    const query = new URLSearchParams({ atlas_itinerary_id: String(route.atlas_itinerary_id), osm_itinerary_id: String(route.osm_itinerary_id) });
    links.append(el('a', { href: `/routes/compare?${query}`, class: 'card-link', 'data-link': 'route-compare', text: 'Compare the itineraries' }));
  }
  if (links.childNodes.length > 0) box.append(links);
  return box;
}

function beforeAfter(decision) {
  const before = evidenceLines(decision.evidence);
  const after = evidenceLines(decision.current_evidence);
  const list = (lines) => el('ul', { class: 'plain' }, lines.map((l) => el('li', { text: l })));
  return el('div', { class: 'before-after' },
    el('p', { class: 'small', text: 'The data changed since this decision. What it rested on, and what the data says now:' }),
    el('table', { class: 'compare' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'When decided' }), el('th', { scope: 'col', text: 'Now' }))),
      el('tbody', {}, el('tr', {}, el('td', {}, list(before)), el('td', {}, list(after))))));
}

async function loadHistory(item, box) {
  clear(box);
  box.append(el('p', { class: 'muted small', text: 'Loading history…' }));
  try {
    const body = await getJson(`/api/decisions/${encodeURIComponent(item.problem_key)}/history`);
    clear(box);
    const events = body.events ?? [];
    if (events.length === 0) {
      box.append(el('p', { class: 'muted small', text: 'No decision was ever recorded for this problem.' }));
      return;
    }
    const list = el('ol', { class: 'history' });
    for (const e of events) {
      const what = [String(e.action ?? '').replace(/_/g, ' '), e.kind ? kindLabel(e.kind) : null, e.state ? `→ ${STATE_LABELS[e.state] ?? e.state}` : null]
        .filter(Boolean).join(' · ');
      list.append(el('li', {},
        el('span', { class: 'history-when', text: formatWhen(e.at) }), ' ',
        el('strong', { text: e.account_name ?? 'the data' }), ' ', what,
        e.note ? el('span', { class: 'history-note', text: ` “${e.note}”` }) : null,
        e.chosen_values ? el('span', { class: 'muted small', text: ` ${Object.entries(e.chosen_values).map(([k, v]) => `${k}=${v}`).join(', ')}` }) : null));
    }
    box.append(list);
  } catch (error) {
    clear(box);
    box.append(el('p', { class: 'error small', text: error.detail ?? 'The history could not be loaded.' }));
  }
}

// One problem of the stop: type, priority, description, evidence, state, links; selecting it makes it the one that
// the decision controls (and keys 1–4) act on.
export function problemItem(item, { active, onSelect }) {
  const state = item.state ?? 'open';
  const article = el('article', {
    class: `problem-item${active ? ' active' : ''}`, 'data-problem-key': item.problem_key ?? '', 'data-state': state,
    'aria-current': active ? 'true' : null,
  });
  const select = el('button', { type: 'button', class: 'problem-select', 'aria-pressed': active ? 'true' : 'false', onclick: onSelect },
    el('span', { class: `priority p${Number(item.priority) || 3}`, text: `P${Number(item.priority) || '?'}` }), ' ',
    el('strong', { text: TYPE_LABELS[item.problem] ?? item.problem }), ' ',
    el('span', { class: `review-state state-${state}`, text: STATE_LABELS[state] ?? state }));
  article.append(select);
  if (item.description) article.append(el('p', { class: 'problem-description', text: item.description }));
  const differences = differencesOf(item.evidence);
  if (item.problem === 'attributes' && differences.length > 0) article.append(attributeTable(differences));
  if (isRouteProblem(item.problem)) article.append(routeBox(item));
  if (item.distance_m != null && item.problem === 'distance') article.append(el('p', { class: 'small', text: `ATLAS–OSM distance ${metres(item.distance_m)}` }));

  const decision = item.decision;
  if (decision) {
    article.append(el('p', { class: 'decision-line' }, el('span', { class: 'muted', text: 'Decision: ' }), decisionSummary(decision)));
    if (decision.note) article.append(el('p', { class: 'decision-note', text: `Note: ${decision.note}` }));
    if (decision.chosen_values && Object.keys(decision.chosen_values).length > 0) {
      article.append(el('p', { class: 'small', text: `Values: ${Object.entries(decision.chosen_values).map(([k, v]) => `${k}=${v}`).join(', ')}` }));
    }
    if (state === 'needs_another_look') article.append(beforeAfter(decision));
  }
  if (!item.problem_key) {
    article.append(el('p', { class: 'muted small', text: 'This problem has no stable key yet (published before keys existed): it cannot be decided until the next publication.' }));
  } else {
    const box = el('div', { class: 'history-box' });
    const details = el('details', { class: 'history-details' }, el('summary', { text: 'History' }), box);
    details.addEventListener('toggle', () => {
      if (details.open) loadHistory(item, box);
    });
    article.append(details);
  }
  article.append(problemLinks(item));
  return article;
}

// The stop's two sides from /api/stop_popup, as the map's card renders them (without its problem list: the panel's own).
export class StopSides {
  constructor(root) {
    this.root = root;
    this.controller = null;
  }

  async load(item, { onLoaded, onOpenMatch }) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    clear(this.root);
    this.root.append(el('p', { class: 'muted small', text: 'Loading both sides of the stop…' }));
    const viewType = item.sloid ? 'atlas' : 'osm';
    try {
      const { stop } = await getJson('/api/stop_popup', new URLSearchParams({ stop_id: String(item.stop_id), view_type: viewType }), controller.signal);
      if (this.controller !== controller) return;
      clear(this.root);
      this.root.append(el('h3', { class: 'sides-title', text: stopTitle(stop) }), ...stopDetails(stop, viewType, { problems: false, onOpenMatch }));
      onLoaded?.(stop);
    } catch (error) {
      if (isAbort(error) || this.controller !== controller) return;
      clear(this.root);
      this.root.append(el('p', { class: 'error small', text: error.detail ?? 'The stop could not be loaded.' }));
    }
  }
}
