// Derives the Swiss border polygon that the ATLAS and GTFS readers use from Natural Earth (public domain), as
// packaged by the npm package world-atlas (1:10m admin-0 countries, TopoJSON). Run with `npm run derive-border`
// after `npm ci`; the output is committed, so builds and tests never need this script.
import { readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';

const SWITZERLAND = '756'; // ISO 3166-1 numeric
const topology = JSON.parse(readFileSync(new URL('../node_modules/world-atlas/countries-10m.json', import.meta.url)));
const countries = feature(topology, topology.objects.countries);
const swiss = countries.features.find((f) => f.id === SWITZERLAND);
if (!swiss) throw new Error('Switzerland (756) is not in countries-10m.json');

const round = (ring) => ring.map(([lon, lat]) => [Number(lon.toFixed(5)), Number(lat.toFixed(5))]);
const geometry = swiss.geometry.type === 'Polygon'
  ? { type: 'Polygon', coordinates: swiss.geometry.coordinates.map(round) }
  : { type: 'MultiPolygon', coordinates: swiss.geometry.coordinates.map((p) => p.map(round)) };
const out = {
  type: 'Feature',
  properties: {
    name: 'Switzerland',
    source: 'Natural Earth 1:10m Admin 0 countries (v4.1.0) via npm world-atlas 2.0.2, countries-10m.json, feature 756',
    license: 'Natural Earth data is in the public domain; world-atlas packaging is ISC-licensed',
  },
  geometry,
};
writeFileSync(new URL('../StopSync.Jobs/Pipeline/Geography/switzerland.geojson', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${geometry.type} with ${JSON.stringify(geometry.coordinates).length} characters`);
