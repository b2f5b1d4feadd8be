// The smart search box: identifiers (SLOID, UIC, OSM node/way) jump straight to their stop; other text lists matching
// ATLAS and OSM stops in a listbox navigable with the arrow keys (combobox pattern with aria-activedescendant).
import { getJson, isAbort } from './api.js';
import { clear, el } from './dom.js';
import { FORMAT_HINT, parseQuery } from './search-parse.js';

const SHOWN_PER_LIST = 20;
const TYPE_DELAY_MS = 250;

export class SearchBox {
  // onPick({ id, viewType, lat, lon }) opens a free-text hit; onIdentifier(parsed) resolves an identifier.
  constructor(form, { onPick, onIdentifier }) {
    this.form = form;
    this.input = form.querySelector('#searchInput');
    this.list = form.querySelector('#searchResults');
    this.message = form.querySelector('#searchMessage');
    this.onPick = onPick;
    this.onIdentifier = onIdentifier;
    this.options = [];
    this.active = -1;
    this.controller = null;
    this.timer = null;

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.active >= 0) this.choose(this.active);
      else this.submit();
    });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.say('');
      const parsed = parseQuery(this.input.value);
      if (parsed.kind === 'text') this.timer = setTimeout(() => this.searchText(parsed.text), TYPE_DELAY_MS);
      else this.closeList();
    });
    this.input.addEventListener('keydown', (event) => this.keydown(event));
    this.input.addEventListener('blur', () => setTimeout(() => {
      if (!form.contains(document.activeElement)) this.closeList();
    }, 150));
  }

  say(text) {
    this.message.textContent = text;
  }

  submit() {
    const parsed = parseQuery(this.input.value);
    if (parsed.kind === 'id') {
      this.closeList();
      this.onIdentifier(parsed);
    } else if (parsed.kind === 'text') {
      clearTimeout(this.timer);
      this.searchText(parsed.text);
    } else {
      this.closeList();
      this.say(this.input.value.trim().length > 50 ? 'Search text is limited to 50 characters.' : FORMAT_HINT);
    }
  }

  async searchText(text) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const body = await getJson('/api/search', new URLSearchParams({ q: text }), controller.signal);
      if (this.controller !== controller) return;
      const hits = [
        ...(body.atlas ?? []).slice(0, SHOWN_PER_LIST).map((h) => ({ ...h, source: 'ATLAS' })),
        ...(body.osm ?? []).slice(0, SHOWN_PER_LIST).map((h) => ({ ...h, source: 'OSM' })),
      ];
      this.showList(hits);
      this.say(hits.length === 0 ? `No stop found matching: ${text}` : `${hits.length} results; use the arrow keys to choose.`);
    } catch (error) {
      if (!isAbort(error)) this.say(error.detail ?? 'Search failed.');
    }
  }

  showList(hits) {
    clear(this.list);
    this.options = hits;
    this.active = -1;
    hits.forEach((hit, i) => {
      const detail = [hit.source, hit.sloid ?? (hit.osm_node_id ? `OSM ${hit.osm_node_id}` : null), hit.uic_ref, hit.local_ref ? `ref ${hit.local_ref}` : null, hit.operator]
        .filter(Boolean).join(' · ');
      const option = el('li', { id: `searchOption${i}`, role: 'option', 'aria-selected': 'false', class: 'search-option' },
        el('span', { class: 'name', text: hit.name ?? hit.sloid ?? hit.osm_node_id ?? 'Stop' }),
        el('span', { class: 'detail', text: detail }));
      option.addEventListener('mousedown', (event) => event.preventDefault());
      option.addEventListener('click', () => this.choose(i));
      this.list.append(option);
    });
    this.list.hidden = hits.length === 0;
    this.input.setAttribute('aria-expanded', hits.length > 0 ? 'true' : 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  closeList() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  highlight(index) {
    const items = [...this.list.children];
    items.forEach((item, i) => item.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute('aria-activedescendant', items[index].id);
      items[index].scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  keydown(event) {
    const open = !this.list.hidden && this.options.length > 0;
    if (event.key === 'ArrowDown' && open) {
      event.preventDefault();
      this.highlight((this.active + 1) % this.options.length);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      this.highlight(this.active <= 0 ? this.options.length - 1 : this.active - 1);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      this.closeList();
    }
  }

  choose(index) {
    const hit = this.options[index];
    if (!hit) return;
    this.closeList();
    this.onPick({ id: hit.id, viewType: hit.view_type ?? (hit.source === 'OSM' ? 'osm' : 'atlas'), lat: hit.lat, lon: hit.lon });
  }
}
