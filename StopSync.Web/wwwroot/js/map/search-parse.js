// Smart search: what the typed text is. Identifiers go to /api/stop_by_id, anything else of 3+ characters to /api/search.

export const FORMAT_HINT =
  'Type a stop name (3+ letters), a SLOID (ch:1:sloid:7000), a UIC number (8503000), an OSM node (123, node/123, n123) or way (way/45, w45), '
  + 'or a line (route:S3, 91-10-A, 91-10-A-j26-1, optionally followed by dir:0 or dir:1).';

// { kind: 'id', identifierType, identifier, typeName } | { kind: 'text', text } | { kind: 'hint' }
export function parseQuery(raw) {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (/^ch:1:sloid:\S+$/i.test(text)) {
    return { kind: 'id', identifierType: 'sloid', identifier: text, typeName: 'ATLAS SLOID' };
  }
  // A Swiss UIC station number is 7 digits starting with 85 (optionally with a ":platform" suffix).
  if (/^85\d{5}(:\d+)?$/.test(text)) {
    return { kind: 'id', identifierType: 'station', identifier: text.split(':')[0], typeName: 'UIC station' };
  }
  const node = /^(?:node\/|n)?(\d{1,19})$/i.exec(text);
  if (node) {
    return { kind: 'id', identifierType: 'osm', identifier: `node/${node[1]}`, typeName: 'OSM node' };
  }
  const way = /^(?:way\/|way_|w)(\d{1,19})$/i.exec(text);
  if (way) {
    return { kind: 'id', identifierType: 'osm', identifier: `way/${way[1]}`, typeName: 'OSM way' };
  }
  // A line: "route:" and any id, or a dash-separated GTFS-looking id (91-10-A, 91-10-A-j26-1); either with " dir:0|1".
  const route = /^route:\s*(\S(?:.*?\S)?)(?:\s+dir:([01]))?$/i.exec(text)
    ?? /^(\d{1,4}-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)(?:\s+dir:([01]))?$/.exec(text);
  if (route && route[1].length <= 100) {
    const identifier = route[2] ? `${route[1]} dir:${route[2]}` : route[1];
    return { kind: 'id', identifierType: 'route', identifier, typeName: 'route' };
  }
  if (text.length >= 3 && text.length <= 50) {
    return { kind: 'text', text };
  }
  return { kind: 'hint' };
}
