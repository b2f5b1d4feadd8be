// Decision kinds, evidence in words and the chosen values a decision carries (docs/09-review.md). Pure functions.

// Keys 1–4 in this order; `same_stop` is chosen by picking a counterpart instead.
export const KINDS = [
  { kind: 'osm_wrong', key: '1', label: 'OSM is wrong' },
  { kind: 'atlas_wrong', key: '2', label: 'ATLAS is wrong' },
  { kind: 'not_a_problem', key: '3', label: 'Both fine / not a problem' },
  { kind: 'not_same_stop', key: '4', label: 'Not the same stop' },
];
const KIND_LABELS = { ...Object.fromEntries(KINDS.map((k) => [k.kind, k.label])), same_stop: 'Same stop (manual match)' };
export const kindLabel = (kind) => KIND_LABELS[kind] ?? kind ?? '';

export const STATE_LABELS = {
  open: 'Open',
  decided: 'Decided',
  needs_another_look: 'Needs another look',
  resolved_by_data: 'Resolved by the data',
};

export const TYPE_LABELS = {
  distance: 'Distance',
  unmatched: 'Unmatched',
  attributes: 'Attributes differ',
  duplicates: 'Duplicates',
  contradicts_route_matching: 'Contradicts route matching',
  route_unmatched: 'Line without counterpart',
  route_metadata: 'Line ref/operator differ',
  route_membership: 'Line stops differ',
};

export const isRouteProblem = (type) => type === 'route_unmatched' || type === 'route_metadata' || type === 'route_membership';

export const MEMBERSHIP_KINDS = {
  missing_in_osm: 'Missing in the OSM route',
  extra_in_osm: 'Extra in the OSM route',
  wrong_order: 'Out of order in the OSM route',
  other_platform: 'Another platform in the OSM route',
};

// The OSM tag of an evidence attribute, and the ATLAS attribute it is compared with.
export const ATTRIBUTES = {
  uic_ref: { osm: 'uic_ref', atlas: 'number' },
  uic_name: { osm: 'uic_name', atlas: 'official designation' },
  local_ref: { osm: 'local_ref', atlas: 'designation' },
  operator: { osm: 'operator', atlas: 'operator abbreviation' },
};

export const differencesOf = (evidence) => (Array.isArray(evidence?.differences) ? evidence.differences : []);

// Evidence as short lines of text, for the before/after of a decision that needs another look.
export function evidenceLines(evidence) {
  if (evidence == null) return ['(none)'];
  const lines = [];
  for (const d of differencesOf(evidence)) {
    lines.push(`${d.attribute}: ATLAS ${d.atlas ?? '—'}, OSM ${d.osm ?? '—'}`);
  }
  if (evidence.distance_bucket != null) lines.push(`distance ${evidence.distance_bucket} m`);
  if (evidence.side != null && evidence.isolated != null) lines.push(`${evidence.side === 'osm' ? 'OSM' : 'ATLAS'} side, ${evidence.isolated ? 'isolated' : 'counterparts nearby'}`);
  if (Array.isArray(evidence.members)) lines.push(`${evidence.side === 'osm' ? 'OSM' : 'ATLAS'} group: ${evidence.members.join(', ')}`);
  if (evidence.alignment != null) lines.push(`route matching: ${String(evidence.alignment).replace(/_/g, ' ')}`);
  for (const [k, v] of Object.entries(evidence)) {
    if (['differences', 'distance_bucket', 'side', 'isolated', 'members', 'alignment'].includes(k)) continue;
    lines.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  }
  return lines.length > 0 ? lines : ['(none)'];
}

// chosen_values pre-filled for a kind: the value the wrong side should get (osm_wrong → the ATLAS values for the OSM
// tags, atlas_wrong → the OSM values), or what the stored decision of that kind chose. null for the other kinds.
export function defaultChosenValues(kind, evidence, decision) {
  if (kind !== 'osm_wrong' && kind !== 'atlas_wrong') return null;
  const differences = differencesOf(evidence);
  if (differences.length === 0) return null;
  const stored = decision?.kind === kind ? decision.chosen_values ?? null : null;
  const values = {};
  for (const d of differences) {
    values[d.attribute] = stored?.[d.attribute] ?? (kind === 'osm_wrong' ? d.atlas : d.osm) ?? '';
  }
  return values;
}

const when = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
};
export { when as formatWhen };

// "OSM is wrong — by anna, 5 Dec 2026, 15:02"
export function decisionSummary(decision) {
  if (!decision) return '';
  const by = decision.decided_by ? ` by ${decision.decided_by}` : '';
  const at = decision.decided_at ? `, ${when(decision.decided_at)}` : '';
  return `${kindLabel(decision.kind)}${by}${at}`;
}
