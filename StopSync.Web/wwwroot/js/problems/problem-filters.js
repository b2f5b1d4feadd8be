// The filter panel of the problems page: problem type with counts, priority pills, decision state, sort, and the map's
// canton and ATLAS operator pickers (inherited from its FilterPanel, bound to the same keys of the state).
import { el } from '../map/dom.js';
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
      this.cantonPicker());
  }

  setCounts(stats) {
    for (const [code, span] of this.typeCounts ?? []) {
      const c = stats?.[code];
      span.textContent = c ? `${number(c.all)} (${number(c.unsolved)} open)` : '';
    }
  }
}
