// The review queue: pages of /api/problems (paged per affected stop in SQL), grouped into one entry per stop, with the
// current position. The next page is fetched before the reviewer reaches the end of this one.
import { getJson } from '../map/api.js';
import { PAGE_SIZE, apiParams, groupByStop } from './state.js';

// Within this many entries of the end of a page, the next page is fetched in the background.
export const PREFETCH_WITHIN = 3;

export class ProblemQueue {
  constructor(state) {
    this.state = state;
    this.pages = new Map();
    this.loading = new Map();
    this.total = null;
    this.limit = PAGE_SIZE;
    // Stops a decision took out of the filtered set (e.g. decided under state=open). The server's pages after them now
    // start that many stops later, so later pages look back far enough not to skip any (docs/09-review.md).
    this.left = new Set();
  }

  // Called after a decision: whether the stop still has a problem in one of the filtered states.
  noteMembership(entry) {
    const states = this.state.states;
    const filtered = states.length > 0 && states.length < 3;
    if (filtered && !entry.items.some((item) => states.includes(item.state ?? 'open'))) this.left.add(entry.ref);
    else this.left.delete(entry.ref);
  }

  get lastPage() {
    return Math.max(1, Math.ceil((this.total ?? 0) / this.limit));
  }

  // Entries of a page, fetched once; concurrent callers share the request.
  async page(number) {
    if (this.pages.has(number)) return this.pages.get(number);
    if (!this.loading.has(number)) {
      const request = this.fetch(number).then((entries) => {
        this.pages.set(number, entries);
        return entries;
      }).finally(() => this.loading.delete(number));
      this.loading.set(number, request);
    }
    return this.loading.get(number);
  }

  async fetch(number) {
    const back = number > 1 ? Math.ceil(this.left.size / this.limit) : 0;
    const first = Math.max(1, number - back);
    const bodies = [];
    for (let p = first; p <= number; p++) bodies.push(await getJson('/api/problems', apiParams(this.state, p, this.limit)));
    const body = bodies[bodies.length - 1];
    // The stops that left are still in this page's queue, so they still count in the numbering.
    this.total = Number(body.total ?? 0) + this.left.size;
    const entries = groupByStop(bodies.flatMap((b) => b.problems ?? []));
    if (back === 0) return entries;
    const seen = new Set([...this.pages.values()].flat().map((e) => e.ref));
    return entries.filter((e) => !seen.has(e.ref));
  }

  // The position after (step 1) or before (step -1) {page, index}, or null at either end of the queue.
  async step(position, step) {
    const entries = await this.page(position.page);
    const index = position.index + step;
    if (index >= 0 && index < entries.length) return { page: position.page, index };
    const page = position.page + step;
    if (page < 1 || page > this.lastPage) return null;
    const other = await this.page(page);
    if (other.length === 0) return null;
    return { page, index: step > 0 ? 0 : other.length - 1 };
  }

  entry(position) {
    return this.pages.get(position.page)?.[position.index] ?? null;
  }

  // Quietly fetches the following page when the position is near the end of its own.
  prefetch(position) {
    const entries = this.pages.get(position.page);
    if (!entries || position.page >= this.lastPage) return;
    if (position.index >= entries.length - PREFETCH_WITHIN && !this.pages.has(position.page + 1)) {
      this.page(position.page + 1).catch(() => {});
    }
  }

  // 1-based number of the stop in the whole queue.
  ordinal(position) {
    return (position.page - 1) * this.limit + position.index + 1;
  }
}
