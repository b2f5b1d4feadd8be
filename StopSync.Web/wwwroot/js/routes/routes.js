// /routes (docs/08-site.md, "Routes"): the cards work without script; this adds, when a card is opened, the best
// candidate of the other side for each unpaired itinerary (/api/routes/comparison/best), with a link to compare them.
import { getJson } from '../map/api.js';
import { clear, el } from '../map/dom.js';

const MAX_IDS = 100;

function compareUrl(fixedId, fixedSource, candidateId) {
  const params = new URLSearchParams();
  params.set('atlas_itinerary_id', fixedSource === 'atlas' ? fixedId : candidateId);
  params.set('osm_itinerary_id', fixedSource === 'atlas' ? candidateId : fixedId);
  return `/routes/compare?${params}`;
}

async function loadBest(card) {
  const slots = [...card.querySelectorAll('[data-best-for]:not([data-loaded])')].slice(0, MAX_IDS);
  if (slots.length === 0) return;
  slots.forEach((slot) => slot.setAttribute('data-loaded', 'pending'));
  const params = new URLSearchParams();
  for (const slot of slots) params.append('itinerary_id', slot.dataset.bestFor);
  try {
    const answer = await getJson('/api/routes/comparison/best', params);
    for (const slot of slots) {
      clear(slot);
      const best = answer.items?.[slot.dataset.bestFor];
      slot.setAttribute('data-loaded', 'true');
      if (!best) {
        slot.append(el('span', { class: 'muted', text: 'no candidate shares a stop' }));
        continue;
      }
      const it = best.itinerary;
      const fixedSource = it.source === 'atlas' ? 'osm' : 'atlas';
      const title = it.source === 'osm' ? (it.to_name ?? it.display_name ?? it.source_itinerary_id) : (it.headsign ?? it.display_name ?? it.source_itinerary_id);
      slot.append('Best candidate: ',
        el('a', { href: compareUrl(slot.dataset.bestFor, fixedSource, it.id), text: `${it.route_id} – ${title}` }),
        ` (${(best.stop_score * 100).toFixed(0)} %)`);
    }
  } catch (error) {
    for (const slot of slots) {
      slot.removeAttribute('data-loaded');
      clear(slot);
      slot.append(el('span', { class: 'muted', text: error.detail ?? 'best candidate unavailable' }));
    }
  }
}

for (const card of document.querySelectorAll('details[data-route-card]')) {
  card.addEventListener('toggle', () => {
    if (card.open) loadBest(card);
  });
}
