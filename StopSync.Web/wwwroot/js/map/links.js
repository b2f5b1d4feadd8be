// Editor hand-off links of the stop card: iD in the browser and JOSM's remote control on the reviewer's machine.

const JOSM = 'http://127.0.0.1:8111';
// Half the side of the box JOSM loads around an element, in degrees (about 50 m north–south).
const JOSM_BOX = 0.0005;

export function osmRef(osm) {
  const type = osm.element_type === 'way' ? 'way' : 'node';
  return { type, id: String(osm.osm_id), josm: `${type === 'way' ? 'w' : 'n'}${osm.osm_id}` };
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
