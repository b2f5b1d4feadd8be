// The filter panel of the problems page: problem type with counts, priority pills, decision state, sort, and the map's
// canton and ATLAS operator pickers (inherited from its FilterPanel, bound to the same keys of the state).
import { el, clear } from '../map/dom.js';
import { getJson } from '../map/api.js';
import { FilterPanel } from '../map/filter-panel.js';
import { PRIORITIES, PROBLEM_TYPES, REVIEW_STATES, SORTS } from './state.js';

let uid = 0;
const nextId = () => `pf${++uid}`;
const number = (n) => Number(n ?? 0).toLocaleString('en-US');

export class ProblemFilterPanel extends FilterPanel {
  // Type checkboxes carry their counts from /api/problems/stats: all problems of the type, and how many are open.
  problemTypes() {
    this.typeCounts = new Map();
    const box = el('div', { class: 'checks' });
    for (const [code, label] of PROBLEM_TYPES) {
      const id = nextId();
      const input = el('input', { type: 'checkbox', id, value: code, 'data-filter': 'problem-type' });
      input.checked = this.filters.problemTypes.includes(code);
      input.addEventListener('change', () => {
        const rest = this.filters.problemTypes.filter((v) => v !== code);
        this.filters.problemTypes = input.checked ? [...rest, code] : rest;
        this.changed();
      });
      const count = el('span', { class: 'type-count muted small' });
      this.typeCounts.set(code, count);
      this.syncers.push(() => { input.checked = this.filters.problemTypes.includes(code); });
      box.append(el('label', { for: id, class: 'check' }, input, ' ', label, ' ', count));
    }
    return this.fieldset('Problem type', box);
  }

  priorityPills() {
    const box = el('div', { class: 'pills', role: 'group', 'aria-label': 'Priority' });
    for (const p of PRIORITIES) {
      const button = el('button', { type: 'button', class: `pill p${p}`, 'data-priority': p, 'aria-pressed': 'false' }, `P${p}`);
      const sync = () => button.setAttribute('aria-pressed', this.filters.priorities.includes(p) ? 'true' : 'false');
      button.addEventListener('click', () => {
        const rest = this.filters.priorities.filter((v) => v !== p);
        this.filters.priorities = this.filters.priorities.includes(p) ? rest : [...rest, p].sort();
        sync();
        this.changed();
      });
      sync();
      this.syncers.push(sync);
      box.append(button);
    }
    return this.fieldset('Priority', box, el('p', { class: 'muted small', text: 'None chosen: every priority. P1 is the most urgent.' }));
  }

  sorting() {
    const byId = nextId();
    const orderId = nextId();
    const by = el('select', { id: byId, 'data-filter': 'sort-by' }, SORTS.map(([v, t]) => el('option', { value: v, text: t })));
    const order = el('select', { id: orderId, 'data-filter': 'sort-order' },
      el('option', { value: 'asc', text: 'ascending' }), el('option', { value: 'desc', text: 'descending' }));
    const sync = () => {
      by.value = this.filters.sortBy;
      order.value = this.filters.sortOrder;
    };
    by.addEventListener('change', () => { this.filters.sortBy = by.value; this.changed(); });
    order.addEventListener('change', () => { this.filters.sortOrder = order.value; this.changed(); });
    sync();
    this.syncers.push(sync);
    return this.fieldset('Sort', el('div', { class: 'sort-row' },
      el('label', { for: byId, class: 'visually-hidden', text: 'Sort by' }), by,
      el('label', { for: orderId, class: 'visually-hidden', text: 'Order' }), order));
  }

  build() {
    this.form.append(
      this.problemTypes(),
      this.priorityPills(),
      this.fieldset('Decision state', this.list(REVIEW_STATES, 'states'), el('p', { class: 'muted small', text: 'None chosen: every state.' })),
      this.sorting(),
      this.operatorPicker('ATLAS operator', 'atlasOperators', '/api/atlas_operators'),
      this.cantonPicker(),
      this.progress(),
      this.handOff());
  }

  // Solved / open / another look per priority, operator and canton under the current filters (type filter included).
  progress() {
    this.progressBox = el('div', { class: 'progress-tables' });
    return el('details', { class: 'panel-details', 'data-section': 'progress' },
      el('summary', { text: 'Progress by priority, operator, canton' }), this.progressBox);
  }

  // Decided fixes for the people who apply them: an OSM mapper (osmChange, JOSM) and the ATLAS data owners (CSV).
  handOff() {
    const josmFile = new URL('/api/exports/osm-fixes.osm', window.location.origin).href;
    const atlasList = el('ul', { class: 'plain-list' }, el('li', { class: 'muted small', text: 'Open to list the operators.' }));
    const details = el('details', { class: 'panel-details', 'data-section': 'hand-off' },
      el('summary', { text: 'Hand-off of decided fixes' }),
      el('p', { class: 'muted small', text: 'StopSync never edits OSM or ATLAS: review these files and upload or send them yourself.' }),
      el('ul', { class: 'plain-list' },
        el('li', {}, el('a', { href: '/api/exports/osm-fixes.osc', text: 'OSM fixes (osmChange)' })),
        el('li', {}, el('a', { href: '/api/exports/osm-fixes.osm', text: 'OSM fixes (JOSM file)' })),
        el('li', {}, el('a', { href: `http://127.0.0.1:8111/import?url=${encodeURIComponent(josmFile)}`, text: 'Open the fixes in JOSM', rel: 'nofollow' }))),
      el('p', { class: 'small', text: 'ATLAS corrections per operator (CSV):' }),
      atlasList);
    details.addEventListener('toggle', async () => {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = 'true';
      try {
        const answer = await getJson('/api/exports/atlas-corrections');
        clear(atlasList);
        if (!answer.operators?.length) atlasList.append(el('li', { class: 'muted small', text: 'No ATLAS corrections decided yet.' }));
        for (const o of answer.operators ?? []) {
          atlasList.append(el('li', {}, el('a', { href: o.csv_url, text: o.atlas_operator }), ` ${number(o.decisions)}`));
        }
      } catch {
        delete details.dataset.loaded;
        clear(atlasList);
        atlasList.append(el('li', { class: 'muted small', text: 'The list could not be loaded; close and open again to retry.' }));
      }
    });
    return details;
  }

  setCounts(stats) {
    for (const [code, span] of this.typeCounts ?? []) {
      const c = stats?.[code];
      span.textContent = c ? `${number(c.all)} (${number(c.unsolved)} open)` : '';
    }
    if (this.progressBox) {
      clear(this.progressBox);
      const priorities = Object.entries(stats?.by_priority ?? {}).map(([p, c]) => [`P${p}`, c]);
      const operators = (stats?.by_operator ?? []).map((c) => [c.atlas_operator ?? '(none)', c]);
      const cantons = (stats?.by_canton ?? []).map((c) => [c.canton ?? '(none)', c]);
      this.progressBox.append(
        progressTable('Priority', priorities),
        progressTable('ATLAS operator', operators),
        progressTable('Canton', cantons));
    }
  }
}

function progressTable(label, rows) {
  const head = el('tr', {}, ...[label, 'all', 'solved', 'open', 'recheck'].map((t) => el('th', { scope: 'col', text: t })));
  const body = rows.length
    ? rows.map(([name, c]) => el('tr', {},
      el('th', { scope: 'row', text: name }),
      ...[c.all, c.solved, c.unsolved, c.needs_another_look].map((n) => el('td', { text: number(n) }))))
    : [el('tr', {}, el('td', { colspan: '5', class: 'muted', text: 'None under these filters.' }))];
  return el('table', { class: 'progress-table', 'data-progress': label }, el('thead', {}, head), el('tbody', {}, ...body));
}
