// The filter panel: plain form controls (Tab, Space and arrow keys work as everywhere), built from the filter model and
// written back into it on every change.
import { getJson } from './api.js';
import { clear, el } from './dom.js';
import {
  ATLAS_REFINEMENTS, MATCH_METHODS, OSM_GROUP_TYPES, PRIORITIES, PROBLEM_TYPES, TRANSPORT_TYPES, parseRouteToken, routeToken,
} from './filters.js';

// Long operator lists show this many matches of the typed text; chosen ones always stay listed.
const OPERATORS_SHOWN = 80;
let uid = 0;

function checkbox(label, checked, onChange, extra = {}) {
  const id = `f${++uid}`;
  const input = el('input', { type: 'checkbox', id, ...extra });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return { input, node: el('label', { for: id, class: 'check' }, input, ' ', label) };
}

export class FilterPanel {
  constructor(form, filters, onChange) {
    this.form = form;
    this.filters = filters;
    this.onChange = onChange;
    this.syncers = [];
    this.build();
  }

  changed() {
    this.onChange();
  }

  // A checkbox bound to a boolean of the model.
  flag(label, key) {
    const c = checkbox(label, this.filters[key], (on) => {
      this.filters[key] = on;
      this.changed();
    });
    this.syncers.push(() => { c.input.checked = this.filters[key]; });
    return c.node;
  }

  // Checkboxes bound to one list of the model.
  list(pairs, key, { columns = false } = {}) {
    const box = el('div', { class: columns ? 'checks columns' : 'checks' });
    for (const [code, label] of pairs) {
      const c = checkbox(label, this.filters[key].includes(code), (on) => {
        const rest = this.filters[key].filter((v) => v !== code);
        this.filters[key] = on ? [...rest, code] : rest;
        this.changed();
      }, { value: code });
      this.syncers.push(() => { c.input.checked = this.filters[key].includes(code); });
      box.append(c.node);
    }
    return box;
  }

  fieldset(legend, ...children) {
    return el('fieldset', { class: 'filter-group' }, el('legend', { text: legend }), ...children);
  }

  // Searchable multi-select: a text box narrowing a list of checkboxes, loaded once from the operators endpoint.
  operatorPicker(label, key, url) {
    const filterId = `f${++uid}`;
    const search = el('input', { type: 'search', id: filterId, placeholder: 'Type to narrow…', autocomplete: 'off' });
    const box = el('div', { class: 'checks scroll', role: 'group', 'aria-label': label });
    const note = el('p', { class: 'muted small' });
    let operators = [];
    const draw = () => {
      clear(box);
      const needle = search.value.trim().toLowerCase();
      const chosen = this.filters[key];
      const shown = [...chosen, ...operators.filter((o) => !chosen.includes(o) && o.toLowerCase().includes(needle)).slice(0, OPERATORS_SHOWN)];
      for (const op of shown) {
        const c = checkbox(op, chosen.includes(op), (on) => {
          const rest = this.filters[key].filter((v) => v !== op);
          this.filters[key] = on ? [...rest, op] : rest;
          this.changed();
          draw();
        }, { value: op });
        box.append(c.node);
      }
      note.textContent = operators.length === 0 ? 'Loading operators…' : `${operators.length} operators`;
    };
    search.addEventListener('input', draw);
    this.syncers.push(draw);
    getJson(url).then((body) => {
      operators = body.operators ?? [];
      draw();
    }).catch(() => { note.textContent = 'Operators could not be loaded.'; });
    draw();
    return this.fieldset(label, el('label', { for: filterId, class: 'visually-hidden', text: `Search ${label}` }), search, box, note);
  }

  cantonPicker() {
    const box = el('div', { class: 'checks cantons' });
    const group = this.fieldset('Canton', box);
    getJson('/api/cantons').then((body) => {
      for (const { code, name } of body.cantons ?? []) {
        const c = checkbox(code, this.filters.cantons.includes(code), (on) => {
          const rest = this.filters.cantons.filter((v) => v !== code);
          this.filters.cantons = on ? [...rest, code] : rest;
          this.changed();
        }, { value: code, title: name });
        c.node.title = name;
        this.syncers.push(() => { c.input.checked = this.filters.cantons.includes(code); });
        box.append(c.node);
      }
    }).catch(() => box.append(el('p', { class: 'muted small', text: 'Cantons could not be loaded.' })));
    return group;
  }

  topN() {
    const id = `f${++uid}`;
    const number = el('input', { type: 'number', id, min: '1', max: '100', value: String(this.filters.topN ?? 10), inputmode: 'numeric' });
    const toggle = checkbox('Show only the largest distances', this.filters.topN != null, (on) => {
      const n = Math.min(100, Math.max(1, Number.parseInt(number.value, 10) || 10));
      number.value = String(n);
      this.filters.topN = on ? n : null;
      this.changed();
    }, { 'data-filter': 'top-n' });
    number.addEventListener('change', () => {
      if (this.filters.topN != null) {
        this.filters.topN = Math.min(100, Math.max(1, Number.parseInt(number.value, 10) || 10));
        number.value = String(this.filters.topN);
        this.changed();
      }
    });
    this.syncers.push(() => {
      toggle.input.checked = this.filters.topN != null;
      if (this.filters.topN != null) number.value = String(this.filters.topN);
    });
    return this.fieldset('Top N distances', el('label', { for: id, text: 'N (1–100) ' }), number, toggle.node);
  }

  // One line (route id and optional direction): applied with its button or Enter, removed with its chip or Clear.
  linePicker() {
    const idId = `f${++uid}`;
    const dirId = `f${++uid}`;
    const input = el('input', {
      type: 'text', id: idId, placeholder: 'e.g. 91-10-A or S3', autocomplete: 'off', maxlength: '100', 'data-filter': 'route',
    });
    const direction = el('select', { id: dirId, 'data-filter': 'route-direction' },
      el('option', { value: '', text: 'both directions' }), el('option', { value: '0', text: 'direction 0' }), el('option', { value: '1', text: 'direction 1' }));
    const apply = () => {
      const parsed = parseRouteToken(input.value);
      // A direction typed as part of the id (" dir:1") wins over the list.
      const dir = parsed?.dir ?? (direction.value || null);
      this.filters.route = parsed ? routeToken(parsed.id, dir) : null;
      this.changed();
    };
    const button = el('button', { type: 'button', class: 'button small-button', 'data-filter': 'route-apply', onclick: apply }, 'Show line');
    // The panel is a form: Enter in the field applies the line instead of submitting the form.
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        apply();
      }
    });
    direction.addEventListener('change', () => {
      if (this.filters.route) apply();
    });
    const sync = () => {
      const parsed = parseRouteToken(this.filters.route);
      input.value = parsed?.id ?? '';
      direction.value = parsed?.dir ?? '';
    };
    sync();
    this.syncers.push(sync);
    return this.fieldset('Line',
      el('label', { for: idId, class: 'small', text: 'Route id (display, GTFS or OSM ref)' }), input,
      el('label', { for: dirId, class: 'visually-hidden', text: 'Direction' }), direction, ' ', button,
      el('p', { class: 'muted small', text: 'Only the stops the line calls at, on either side.' }));
  }

  build() {
    clear(this.form);
    this.form.append(
      this.fieldset('Matched',
        this.flag('All matched stops', 'matched'),
        el('details', { class: 'sub' }, el('summary', { text: 'By match method' }), this.list(MATCH_METHODS, 'methods'))),
      this.fieldset('Unmatched',
        this.flag('ATLAS unmatched', 'atlasUnmatched'),
        this.list(ATLAS_REFINEMENTS, 'refinements'),
        this.flag('OSM unmatched', 'osmUnmatched')),
      this.linePicker(),
      this.fieldset('Problems', this.list(PROBLEM_TYPES, 'problemTypes'), this.list(PRIORITIES, 'priorities', { columns: true })),
      this.cantonPicker(),
      this.operatorPicker('ATLAS operator', 'atlasOperators', '/api/atlas_operators'),
      this.fieldset('ATLAS', this.flag('Duplicate ATLAS only', 'duplicatesOnly')),
      this.operatorPicker('OSM operator', 'osmOperators', '/api/osm_operators'),
      this.fieldset('OSM transport type', this.list(TRANSPORT_TYPES, 'transportTypes')),
      this.fieldset('OSM entity', this.list([['way', 'OSM ways only']], 'osmEntityTypes')),
      el('details', { class: 'filter-group' }, el('summary', { text: 'OSM groups (pairs, trios)' }), this.list(OSM_GROUP_TYPES, 'osmGroupTypes')),
      this.topN());
  }

  sync() {
    for (const s of this.syncers) s();
  }
}
