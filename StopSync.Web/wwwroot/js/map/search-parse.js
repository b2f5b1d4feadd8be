// Smart search: what the typed text is. Identifiers go to /api/stop_by_id, anything else of 3+ characters to /api/search.

export const FORMAT_HINT =
  'Type a stop name (3+ letters), a SLOID (ch:1:sloid:7000), a UIC number (8503000), an OSM node (123, node/123, n123) or way (way/45, w45).';

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
  if (text.length >= 3 && text.length <= 50) {
    return { kind: 'text', text };
  }
  return { kind: 'hint' };
}
