// Editor hand-off links of the stop card: iD in the browser and JOSM's remote control on the reviewer's machine.

const JOSM = 'http://127.0.0.1:8111';
// Half the side of the box JOSM loads around an element, in degrees (about 50 m north–south).
const JOSM_BOX = 0.0005;

// element_type node, way or relation (a route); JOSM names them n123, w123, r123.
export function osmRef(osm) {
  const type = osm.element_type === 'way' || osm.element_type === 'relation' ? osm.element_type : 'node';
  return { type, id: String(osm.osm_id), josm: `${type[0]}${osm.osm_id}` };
}

export function idEditorUrl(osm) {
  const ref = osmRef(osm);
  return `https://www.openstreetmap.org/edit?editor=id&${ref.type}=${encodeURIComponent(ref.id)}`;
}

export function josmLoadObjectUrl(osm) {
  return `${JOSM}/load_object?objects=${osmRef(osm).josm}&relation_members=true`;
}

export function josmZoomUrl(osm) {
  const f = (v) => v.toFixed(6);
  return `${JOSM}/load_and_zoom?left=${f(osm.lon - JOSM_BOX)}&right=${f(osm.lon + JOSM_BOX)}`
    + `&top=${f(osm.lat + JOSM_BOX)}&bottom=${f(osm.lat - JOSM_BOX)}&select=${osmRef(osm).josm}`;
}

// null when OSM lacks nothing the engine could supply.
export function josmAddTagsUrl(osm, missingTags) {
  const entries = Object.entries(missingTags ?? {}).filter(([, v]) => v != null && String(v) !== '');
  if (entries.length === 0) return null;
  const tags = entries.map(([k, v]) => `${k}=${v}`).join('|');
  return `${JOSM}/load_object?objects=${osmRef(osm).josm}&addtags=${encodeURIComponent(tags)}`;
}

// The element an /api/problems item names: osm_node_id is `123` for a node, `way_45` for a way.
export function osmElement(osmNodeId, lat = null, lon = null) {
  const m = /^(?:(way|node)_)?(\d+)$/.exec(String(osmNodeId ?? ''));
  if (!m) return null;
  return { element_type: m[1] === 'way' ? 'way' : 'node', osm_id: m[2], lat, lon };
}

// "Fix it in JOSM" for an attributes problem: sets each OSM tag that differs to the ATLAS value of the evidence
// (docs/09-review.md, "The problems page"). JOSM's addtags overwrites a tag the element already has; the mapper still
// reviews and uploads. A value holding '|' cannot be written in addtags and is left out. null when nothing is left.
export function josmFixTagsUrl(osm, differences) {
  const tags = {};
  for (const d of differences ?? []) {
    const value = d?.atlas == null ? '' : String(d.atlas);
    if (!d?.attribute || value === '' || value.includes('|')) continue;
    tags[d.attribute] = value;
  }
  return josmAddTagsUrl(osm, tags);
}

// For a stop without an OSM element: iD and JOSM at the ATLAS position, to map what is missing.
export function idEditorAtUrl(lat, lon) {
  return `https://www.openstreetmap.org/edit?editor=id#map=19/${Number(lat).toFixed(6)}/${Number(lon).toFixed(6)}`;
}

export function josmZoomAtUrl(lat, lon) {
  const f = (v) => v.toFixed(6);
  return `${JOSM}/load_and_zoom?left=${f(lon - JOSM_BOX)}&right=${f(lon + JOSM_BOX)}&top=${f(lat + JOSM_BOX)}&bottom=${f(lat - JOSM_BOX)}`;
}
