// The decision controls of the problems page (docs/09-review.md, "The problems page"): kinds 1–4, "same stop" by a
// picked counterpart, a note, and for attributes problems the values the wrong side should get. Posts to
// /api/decisions with the page's antiforgery token; a conflict (409) keeps the reviewer's input and offers to take the
// other decision or to overwrite it with the new revision.
import { sendJson } from '../map/api.js';
import { clear, el, metres } from '../map/dom.js';
import {
  ATTRIBUTES, KINDS, decisionSummary, defaultChosenValues, differencesOf, isRouteProblem, kindLabel,
} from './review.js';

const tokenMeta = () => document.querySelector('meta[name="request-verification-token"]')?.getAttribute('content') ?? '';

export class DecisionForm {
  // onDecided(item) after the stored decision of the item changed (decided, withdrawn or taken from a conflict).
  constructor(form, { canDecide, onDecided, announce }) {
    this.form = form;
    this.canDecide = canDecide;
    this.onDecided = onDecided;
    this.announce = announce;
    this.controls = form.querySelector('#decisionControls');
    this.target = form.querySelector('#decisionTarget');
    this.values = form.querySelector('#chosenValues');
    this.sameStop = form.querySelector('#sameStop');
    this.note = form.querySelector('#decisionNote');
    this.withdraw = form.querySelector('#withdrawDecision');
    this.result = form.querySelector('#decisionResult');
    this.conflict = form.querySelector('#decisionConflict');
    this.item = null;
    this.entry = null;
    this.candidates = [];
    this.pick = null;
    this.busy = false;
    form.addEventListener('submit', (e) => e.preventDefault());
    for (const button of form.querySelectorAll('button[data-kind]')) {
      button.addEventListener('click', () => this.decide(button.dataset.kind));
    }
    this.withdraw.addEventListener('click', () => this.withdrawDecision());
  }

  // The problem the controls act on; its stored decision (if any) fills the note and the values.
  show(entry, item) {
    this.entry = entry;
    this.item = item;
    this.pick = null;
    this.candidates = [];
    this.hideConflict();
    this.result.textContent = '';
    this.fill(item);
  }

  fill(item) {
    this.target.textContent = item ? `For: ${item.description ?? item.problem}` : '';
    this.note.value = item?.decision?.note ?? '';
    this.withdraw.hidden = !(this.canDecide && item?.decision);
    this.form.dataset.state = item?.state ?? 'open';
    this.renderValues(item);
    this.renderSameStop();
    const decidable = Boolean(item?.problem_key);
    for (const b of this.form.querySelectorAll('button[data-kind]')) {
      b.setAttribute('aria-pressed', item?.decision?.kind === b.dataset.kind ? 'true' : 'false');
      // "Not the same stop" forbids the problem's own pair: only a problem with both sides has one, and a line's problem
      // is about the line, not about the pair.
      b.disabled = !decidable || (b.dataset.kind === 'not_same_stop' && (!(item?.sloid && item?.osm_node_id) || isRouteProblem(item?.problem)));
    }
  }

  // Two inputs per differing attribute: the OSM tag's new value (kind 1) and the ATLAS attribute's (kind 2).
  renderValues(item) {
    clear(this.values);
    const differences = item?.problem === 'attributes' ? differencesOf(item.evidence) : [];
    this.values.hidden = differences.length === 0;
    if (differences.length === 0) return;
    const osmValues = defaultChosenValues('osm_wrong', item.evidence, item.decision) ?? {};
    const atlasValues = defaultChosenValues('atlas_wrong', item.evidence, item.decision) ?? {};
    const tbody = el('tbody');
    differences.forEach((d, i) => {
      const osmId = `chosenOsm${i}`;
      const atlasId = `chosenAtlas${i}`;
      tbody.append(el('tr', {},
        el('th', { scope: 'row', text: d.attribute }),
        el('td', {}, el('label', { for: osmId, class: 'visually-hidden', text: `New OSM ${d.attribute} if OSM is wrong` }),
          el('input', { id: osmId, type: 'text', 'data-kind': 'osm_wrong', 'data-attribute': d.attribute, value: osmValues[d.attribute] ?? '', maxlength: '255' })),
        el('td', {}, el('label', { for: atlasId, class: 'visually-hidden', text: `New ATLAS ${ATTRIBUTES[d.attribute]?.atlas ?? d.attribute} if ATLAS is wrong` }),
          el('input', { id: atlasId, type: 'text', 'data-kind': 'atlas_wrong', 'data-attribute': d.attribute, value: atlasValues[d.attribute] ?? '', maxlength: '255' }))));
    });
    this.values.append(
      el('p', { class: 'small', text: 'Values the wrong side should get (edit before deciding if needed):' }),
      el('table', { class: 'compare chosen-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Attribute' }), el('th', { scope: 'col', text: 'OSM should be (1)' }), el('th', { scope: 'col', text: 'ATLAS should be (2)' }))),
        tbody));
  }

  chosenValues(kind) {
    if (kind !== 'osm_wrong' && kind !== 'atlas_wrong') return null;
    const inputs = [...this.values.querySelectorAll(`input[data-kind="${kind}"]`)];
    if (inputs.length === 0) return null;
    return Object.fromEntries(inputs.map((i) => [i.dataset.attribute, i.value.trim()]));
  }

  // Counterparts of the other side around an unmatched stop, nearest first; the map's markers can pick others.
  setCandidates(candidates) {
    this.candidates = candidates;
    this.renderSameStop();
  }

  setPick(pick) {
    this.pick = pick;
    this.renderSameStop();
    if (pick) this.announce?.(`Picked ${pick.side === 'osm' ? 'OSM' : 'ATLAS'} ${pick.id} as the counterpart.`);
  }

  unmatchedSide() {
    const item = this.item;
    if (!item || item.problem !== 'unmatched') return null;
    if (item.evidence?.side === 'osm' || item.stop_type === 'osm_unmatched') return 'osm';
    return item.sloid ? 'atlas' : 'osm';
  }

  renderSameStop() {
    clear(this.sameStop);
    const side = this.unmatchedSide();
    this.sameStop.hidden = side == null;
    if (side == null) return;
    const other = side === 'atlas' ? 'OSM' : 'ATLAS';
    const list = el('ul', { class: 'plain candidates' });
    const shown = [...(this.pick ? [this.pick] : []), ...this.candidates.filter((c) => c.id !== this.pick?.id)];
    for (const c of shown) {
      const label = `${other} ${c.id}${c.row?.osm_node_type && side === 'atlas' ? ` (${c.row.osm_node_type})` : ''}${c.distance != null ? ` · ${metres(c.distance)}` : ''}`;
      list.append(el('li', { class: c === this.pick ? 'picked' : null },
        el('button', { type: 'button', class: 'button small-button', 'data-same-stop': c.id, disabled: !this.item?.problem_key || null,
          onclick: () => this.decide('same_stop', c) }, 'Same stop'), ' ', label));
    }
    this.sameStop.append(el('p', { class: 'small' },
      `Same stop as an ${other} stop around? Choose it here or click its marker on the map.`),
    shown.length > 0 ? list : el('p', { class: 'muted small', text: `No ${other} stop within about 2 km.` }));
  }

  // The pair fields a ruling sends: "same stop" names the picked counterpart (the server adds the problem's own side);
  // "not the same stop" forbids the problem's own pair, which the server takes from the problem. null: not possible.
  pairFor(kind, counterpart) {
    const item = this.item;
    if (kind === 'same_stop') {
      if (!counterpart) return null;
      return counterpart.side === 'osm' ? { pair_osm_id: counterpart.id } : { pair_sloid: counterpart.id };
    }
    if (kind === 'not_same_stop' && !(item.sloid && item.osm_node_id)) return null;
    return {};
  }

  payload(kind, counterpart) {
    const item = this.item;
    const pair = this.pairFor(kind, counterpart);
    if (pair == null) return null;
    const body = { problem_key: item.problem_key, kind, revision: item.decision?.revision ?? 0, ...pair };
    const note = this.note.value.trim();
    if (note) body.note = note;
    const values = this.chosenValues(kind);
    if (values) body.chosen_values = values;
    return body;
  }

  async decide(kind, counterpart = null) {
    const item = this.item;
    if (!item) return;
    if (!this.canDecide) {
      this.say('Sign in to record decisions.');
      return;
    }
    if (!item.problem_key) {
      this.say('This problem cannot be decided yet: it has no stable key.');
      return;
    }
    if (kind === 'same_stop' && !counterpart) counterpart = this.pick;
    const body = this.payload(kind, counterpart);
    if (body == null) {
      this.say(kind === 'same_stop'
        ? 'Pick the counterpart first (list or map).'
        : '"Not the same stop" rules on a matched pair; this stop has one side only. Choose "Same stop" with a counterpart, or another decision.');
      return;
    }
    await this.send(body);
  }

  async send(body) {
    if (this.busy) return;
    this.busy = true;
    const item = this.item;
    this.form.setAttribute('aria-busy', 'true');
    this.say(`Saving: ${kindLabel(body.kind)}…`);
    try {
      const answer = await sendJson('POST', '/api/decisions', body, { RequestVerificationToken: tokenMeta() });
      this.stored(item, answer?.decision ?? null);
      this.say(`Saved: ${decisionSummary(item.decision)}.`);
    } catch (error) {
      if (error.status === 409) this.showConflict(item, body, error.problem ?? {});
      else this.say(this.failure(error));
    } finally {
      this.busy = false;
      this.form.removeAttribute('aria-busy');
    }
  }

  async withdrawDecision() {
    const item = this.item;
    if (!item?.decision || this.busy) return;
    this.busy = true;
    try {
      await sendJson('DELETE', `/api/decisions/${encodeURIComponent(item.problem_key)}?revision=${item.decision.revision}`, undefined,
        { RequestVerificationToken: tokenMeta() });
      this.stored(item, null);
      this.say('Decision withdrawn: the problem is open again.');
    } catch (error) {
      if (error.status === 409) this.showConflict(item, null, error.problem ?? {});
      else this.say(this.failure(error));
    } finally {
      this.busy = false;
    }
  }

  failure(error) {
    if (error.status === 401) return 'Your session has ended: sign in again to record decisions.';
    if (error.status === 403) return 'Not saved: your account may not record decisions, or the page is too old (reload it).';
    if (error.status === 404) return 'Not saved: this problem is no longer in the published data (reload the queue).';
    return `Not saved: ${error.detail ?? 'the server did not answer'}.`;
  }

  stored(item, decision) {
    item.decision = decision;
    item.state = decision == null ? 'open' : decision.state === 'needs_another_look' ? 'needs_another_look' : 'decided';
    item.is_persistent = decision != null;
    item.solution = decision?.kind ?? '';
    this.hideConflict();
    if (this.item === item) this.fill(item);
    this.onDecided?.(item);
  }

  // The other reviewer's decision with who/what/when; the reviewer's own input stays in the form untouched.
  showConflict(item, body, problem) {
    const current = problem.current ?? null;
    clear(this.conflict);
    this.conflict.hidden = false;
    this.conflict.append(
      el('h3', { text: problem.title ?? 'Someone else decided this problem meanwhile' }),
      problem.detail ? el('p', { text: problem.detail }) : null,
      current ? el('p', {}, el('strong', { text: 'Stored now: ' }), decisionSummary(current), current.note ? ` – “${current.note}”` : '') : el('p', { text: 'The decision was withdrawn meanwhile.' }),
      el('p', { class: 'small', text: 'Your input is still in the form.' }),
      el('div', { class: 'conflict-actions' },
        el('button', { type: 'button', class: 'button', 'data-conflict': 'theirs', onclick: () => {
          this.stored(item, current);
          this.say('Kept the stored decision.');
        } }, 'Use theirs'),
        body ? el('button', { type: 'button', class: 'button', 'data-conflict': 'mine', onclick: () => {
          // Retried against the revision just seen: it wins unless someone decided yet again.
          item.decision = current;
          this.send({ ...body, revision: current?.revision ?? 0 });
        } }, 'Overwrite with mine') : null));
    this.conflict.querySelector('button')?.focus();
    this.say('Not saved: someone else decided this problem meanwhile.');
  }

  hideConflict() {
    this.conflict.hidden = true;
    clear(this.conflict);
  }

  say(text) {
    this.result.textContent = text;
  }

  static kindForKey(key) {
    return KINDS.find((k) => k.key === key)?.kind ?? null;
  }
}
