// Entry point of the problems page (docs/09-review.md, "The problems page"): the queue of affected stops under the
// filters, one stop at a time on a map with its context and in a side panel with its problems and the decision
// controls. Everything is in the address (filters, page, ?stop=), so reload and back/forward restore it.
import { getJson } from '../map/api.js';
import { clear, el } from '../map/dom.js';
import { ContextMap, nearestCounterparts, sidesOf } from './context-map.js';
import { DecisionForm } from './decision-form.js';
import { StopSides, itemTitle, problemItem } from './panel.js';
import { ProblemFilterPanel } from './problem-filters.js';
import { ProblemQueue } from './queue.js';
import { filterParams, fromQuery, pageQuery, sameQueue, summaryCounts } from './state.js';
import { KINDS } from './review.js';

const $ = (id) => document.getElementById(id);
const root = $('problemsPage');
const config = root.dataset;
const canDecide = config.canDecide === 'true';

const state = fromQuery(new URLSearchParams(window.location.search));
let queue = new ProblemQueue(state);
let position = null;
let activeIndex = 0;
let entry = null;
let sequence = 0;

const status = $('queueStatus');
const announce = (text) => { status.textContent = text; };

// ---- map, panel, decision form
const mapElement = $('problemMap');
const contextMap = new ContextMap(mapElement, {
  tileUrl: config.tileUrl,
  tileAttribution: config.tileAttribution,
  centerLat: Number(config.centerLat),
  centerLon: Number(config.centerLon),
  zoom: Number(config.zoom),
  onPick: (pick) => {
    const side = form.unmatchedSide();
    if (side == null || pick.side === side) return;
    const anchor = entry && focusPoints(entry)[0];
    const distance = anchor ? L.latLng(anchor.lat, anchor.lon).distanceTo(L.latLng(pick.row.lat, pick.row.lon)) : null;
    const point = { side: pick.side, id: pick.id, row: pick.row, distance,
      lat: pick.side === 'osm' ? pick.row.osm_lat ?? pick.row.lat : pick.row.atlas_lat ?? pick.row.lat,
      lon: pick.side === 'osm' ? pick.row.osm_lon ?? pick.row.lon : pick.row.atlas_lon ?? pick.row.lon };
    form.setPick(point);
    contextMap.markPick(point);
  },
  onStatus: announce,
});

const form = new DecisionForm($('decisionForm'), {
  canDecide,
  announce,
  onDecided: (item) => {
    queue.noteMembership(entry);
    renderProblems();
    $('problemPanel').dataset.state = item.state;
    loadStats();
  },
});
const sides = new StopSides($('stopSides'));

function focusPoints(e) {
  const first = e.items[0];
  const points = [];
  if (first.sloid && (first.atlas_lat ?? null) != null) points.push({ side: 'atlas', id: first.sloid, lat: first.atlas_lat, lon: first.atlas_lon });
  if (first.osm_node_id && (first.osm_lat ?? null) != null) points.push({ side: 'osm', id: String(first.osm_node_id), lat: first.osm_lat, lon: first.osm_lon });
  if (points.length === 0 && first.lat != null) points.push({ side: first.sloid ? 'atlas' : 'osm', id: first.sloid ?? String(first.osm_node_id), lat: first.lat, lon: first.lon });
  return points;
}

function renderProblems() {
  const list = $('problemList');
  clear(list);
  entry.items.forEach((item, i) => {
    list.append(problemItem(item, { active: i === activeIndex, onSelect: () => selectProblem(i) }));
  });
}

function selectProblem(i) {
  activeIndex = i;
  renderProblems();
  const item = entry.items[i];
  form.show(entry, item);
  form.setCandidates(candidatesFor(item));
  $('problemPanel').dataset.state = item.state ?? 'open';
  $('problemPanel').dataset.problemKey = item.problem_key ?? '';
}

let contextRows = [];
function candidatesFor(item) {
  const points = focusPoints(entry);
  const side = form.unmatchedSide();
  if (side == null || points.length === 0) return [];
  const from = points.find((p) => p.side === side) ?? points[0];
  return nearestCounterparts(contextRows, side, from.lat, from.lon, 5);
}

// The first problem that still needs a reviewer: open, else needing another look, else the first.
function defaultActive(items) {
  const open = items.findIndex((i) => (i.state ?? 'open') === 'open');
  if (open >= 0) return open;
  const again = items.findIndex((i) => i.state === 'needs_another_look');
  return again >= 0 ? again : 0;
}

function showEntry(focusHeading) {
  entry = queue.entry(position);
  const panel = $('problemPanel');
  if (!entry) return;
  state.page = position.page;
  state.stop = entry.ref;
  activeIndex = defaultActive(entry.items);
  const first = entry.items[0];
  $('problemTitle').textContent = itemTitle(first);
  $('queuePosition').textContent = `Stop ${queue.ordinal(position).toLocaleString('en-US')} of ${queue.total.toLocaleString('en-US')}`;
  $('prevStop').disabled = position.page === 1 && position.index === 0;
  $('nextStop').disabled = queue.ordinal(position) >= queue.total;
  panel.dataset.stop = entry.ref;
  contextRows = [];
  selectProblem(activeIndex);
  panel.dataset.ready = 'true';
  panel.dataset.renders = String(Number(panel.dataset.renders ?? 0) + 1);
  const focus = {
    ref: entry.ref,
    points: focusPoints(entry),
    matched: first.stop_type === 'matched' || first.stop_type === 'effectively_matched',
    distance: first.distance_m,
    partners: [],
    related: [],
    onContext: (rows) => {
      contextRows = rows;
      form.setCandidates(candidatesFor(entry.items[activeIndex]));
      markRelated(focus);
    },
  };
  contextMap.show(focus);
  sides.load(first, {
    onLoaded: (stop) => {
      // Pair/trio partners and the members of an ATLAS duplicate group join the highlight.
      const own = new Set(focus.points.map((p) => p.id));
      focus.partners = (stop.osm?.stop_unit?.members ?? []).filter((m) => !own.has(String(m.node_id)))
        .map((m) => ({ id: String(m.node_id), lat: m.lat, lon: m.lon }));
      focus.groupIds = new Set(stop.atlas?.duplicate_group_sloids ?? []);
      markRelated(focus);
    },
    onOpenMatch: (_id, _type, lat, lon) => {
      if (lat != null) contextMap.map.panTo([lat, lon]);
    },
  });
  updateSignInLink();
  updateExportLink();
  if (focusHeading) $('problemTitle').focus();
  queue.prefetch(position);
}

// The other members of an ATLAS duplicate group (from the stop card and a duplicates problem's evidence), found among
// the stops around by identity, get a dashed ring.
function markRelated(focus) {
  if (contextMap.current !== focus) return;
  const ids = new Set(focus.groupIds ?? []);
  for (const item of entry?.ref === focus.ref ? entry.items : []) {
    for (const member of item.evidence?.members ?? []) ids.add(String(member));
  }
  for (const p of focus.points) ids.delete(p.id);
  focus.related = contextRows.flatMap((row) => sidesOf(row)).filter((p) => ids.has(p.id));
  contextMap.drawFocus(contextRows);
}

// ---- address
function writeUrl(push) {
  const search = pageQuery(state).toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// "Export these": the Export tab with the queue's filters (docs/08-site.md, "Export").
function updateExportLink() {
  const link = $('exportLink');
  if (link) link.href = `/data/export?${new URLSearchParams([['report_type', 'problems'], ...filterParams(state, { withSort: false })])}`;
}

function updateSignInLink() {
  const link = $('signInLink');
  if (link) link.href = `/account/login?returnUrl=${encodeURIComponent(`${window.location.pathname}${window.location.search}`)}`;
}

// ---- loading and moving through the queue
async function start(wantedPage, wantedStop) {
  const mine = ++sequence;
  announce('Loading problems…');
  $('problemPanel').dataset.ready = 'false';
  try {
    let page = Math.max(1, wantedPage);
    let entries = await queue.page(page);
    if (mine !== sequence) return;
    if (entries.length === 0 && queue.total > 0 && page > queue.lastPage) {
      // A bookmark outlives a smaller queue: its last page instead.
      page = queue.lastPage;
      entries = await queue.page(page);
      if (mine !== sequence) return;
    }
    if (entries.length === 0) {
      entry = null;
      position = null;
      showEmpty();
      return;
    }
    let index = wantedStop ? entries.findIndex((e) => e.ref === wantedStop) : 0;
    let note = '';
    if (index < 0) {
      index = 0;
      note = `${wantedStop} is not on this page of the queue any more (decided or solved meanwhile?); showing the first stop of the page. `;
    }
    position = { page, index };
    $('queueEmpty').hidden = true;
    $('queueContent').hidden = false;
    showEntry(false);
    writeUrl(false);
    announce(`${note}${queue.total.toLocaleString('en-US')} stops with problems under these filters.`);
  } catch (error) {
    if (mine !== sequence) return;
    announce(error.detail ?? 'The problems could not be loaded.');
  }
}

function showEmpty() {
  $('queueContent').hidden = true;
  $('queueEmpty').hidden = false;
  $('problemPanel').dataset.ready = 'true';
  $('problemPanel').dataset.stop = '';
  announce('No problems match these filters.');
  writeUrl(false);
}

async function move(step) {
  if (!position) return;
  const mine = ++sequence;
  try {
    const next = await queue.step(position, step);
    if (mine !== sequence) return;
    if (!next) {
      announce(step > 0 ? 'This is the last stop of the queue.' : 'This is the first stop of the queue.');
      return;
    }
    position = next;
    showEntry(true);
    writeUrl(true);
    announce('');
  } catch (error) {
    if (mine === sequence) announce(error.detail ?? 'The next problems could not be loaded.');
  }
}

$('nextStop').addEventListener('click', () => move(1));
$('prevStop').addEventListener('click', () => move(-1));

// ---- filters, stats
const filterPanel = new ProblemFilterPanel($('problemFilters'), state, () => {
  state.page = 1;
  state.stop = null;
  queue = new ProblemQueue(state);
  writeUrl(true);
  loadStats();
  start(1, null);
});

let statsSequence = 0;
async function loadStats() {
  const mine = ++statsSequence;
  try {
    const stats = await getJson('/api/problems/stats', filterParams({ ...state, problemTypes: [] }, { withStates: false, withSort: false }));
    if (mine !== statsSequence) return;
    filterPanel.setCounts(stats);
    const c = summaryCounts(stats, state.problemTypes);
    const summary = $('queueSummary');
    clear(summary);
    summary.append(
      el('span', { 'data-count': 'solved' }, el('strong', { text: c.solved.toLocaleString('en-US') }), ' solved'),
      el('span', { 'data-count': 'unsolved' }, el('strong', { text: c.unsolved.toLocaleString('en-US') }), ' unsolved'),
      el('span', { 'data-count': 'needs_another_look' }, el('strong', { text: c.needs_another_look.toLocaleString('en-US') }), ' need another look'),
      ...(stats.resolved_by_data ? [el('span', { class: 'muted' }, `${Number(stats.resolved_by_data).toLocaleString('en-US')} resolved by the data`)] : []));
  } catch (error) {
    if (mine === statsSequence) $('queueSummary').textContent = 'Figures unavailable.';
  }
}

const toggle = $('filtersToggle');
const aside = $('filterAside');
function setPanel(open) {
  aside.hidden = !open;
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
}
toggle.addEventListener('click', () => {
  setPanel(aside.hidden);
  if (!aside.hidden) aside.querySelector('input, button, select')?.focus();
});
setPanel(!window.matchMedia('(max-width: 760px)').matches);

// ---- back and forward: another queue reloads, the same queue only moves
window.addEventListener('popstate', () => {
  const wanted = fromQuery(new URLSearchParams(window.location.search));
  if (!sameQueue(wanted, state)) {
    Object.assign(state, wanted);
    filterPanel.sync();
    queue = new ProblemQueue(state);
    loadStats();
    start(wanted.page, wanted.stop);
    return;
  }
  const entries = queue.pages.get(wanted.page);
  const index = entries ? entries.findIndex((e) => e.ref === wanted.stop) : -1;
  if (index >= 0) {
    position = { page: wanted.page, index };
    showEntry(true);
  } else {
    start(wanted.page, wanted.stop);
  }
});

// ---- keyboard: → / Space next, ← previous, 1–4 decide, ? help (Esc closes it); never while typing
const help = $('keyHelp');
function toggleHelp() {
  if (help.open) help.close();
  else help.showModal();
}
$('helpButton').addEventListener('click', toggleHelp);
$('keyHelpClose').addEventListener('click', () => help.close());

const typing = (target) => target instanceof HTMLElement
  && (target.isContentEditable || target.closest('input, textarea, select') != null);
// Space keeps its own meaning on a control (press the button, open the details).
const activatesOnSpace = (target) => target instanceof HTMLElement && target.closest('button, a, summary, [role="button"]') != null;

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  if (event.key === '?') {
    event.preventDefault();
    toggleHelp();
    return;
  }
  if (help.open) return;
  if (event.key === 'ArrowRight' || (event.key === ' ' && !activatesOnSpace(event.target))) {
    event.preventDefault();
    move(1);
  } else if (event.key === 'ArrowLeft') {
    event.preventDefault();
    move(-1);
  } else if (KINDS.some((k) => k.key === event.key)) {
    event.preventDefault();
    form.decide(KINDS.find((k) => k.key === event.key).kind);
  }
});

// ---- start
loadStats();
start(state.page, state.stop);
