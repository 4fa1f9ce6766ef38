// The time axis of one actor's timeline: every event it has (the filters but for the
// range, 200 a page, in the background), one lane per type, and the possible duplicates
// among them. Kept while only `from`/`to` change, so brushing never refetches.
import { getJson, matchesFilters, timelineUrl } from "./api.js";
import { TimeAxis } from "./axis.js";
import { duplicateIndex } from "./conflicts.js";
import { debounce } from "./dom.js";
import { compareEvents, typeLabel } from "./format.js";
import { vocabulary } from "./vocabulary.js";

const PAGE = 200;
const MAX = 20000;

const withoutRange = (filters) => ({ ...filters, from: "", to: "" });

/** One lane per event type, in the vocabulary's order. */
export function lanesByType(events) {
  const byType = new Map();
  for (const event of events) {
    if (!byType.has(event.type)) byType.set(event.type, []);
    byType.get(event.type).push(event);
  }
  const types = vocabulary.event_types;
  const order = (t) => (types.indexOf(t) + 1) || types.length + 1;
  return [...byType].sort(([a], [b]) => order(a) - order(b))
    .map(([type, list]) => ({ key: type, label: typeLabel(type), events: list }));
}

export class ActorAxis {
  constructor(container, { onBrush, onPick, onStatus, onDuplicates }) {
    Object.assign(this, { container, onStatus, onDuplicates });
    this.axis = new TimeAxis(container, { label: "Time axis of this actor's events", onBrush, onPick });
    this.events = new Map();
    this.duplicates = new Map();
    this.key = null;
    this.generation = 0;
    this.slug = null;
    this.filters = {};
    this.redraw = debounce(() => { this.draw(); this.findDuplicates(); }, 150);
  }

  /** Show `slug`'s events; fetches only when the actor or a filter other than the range changed. */
  async load(slug, filters) {
    const key = JSON.stringify([slug, withoutRange(filters)]);
    this.axis.setRange(filters.from, filters.to);
    if (key === this.key) return;
    Object.assign(this, { key, slug, filters });
    const generation = ++this.generation;
    this.events = new Map();
    this.duplicates = new Map();
    this.axis.clear();
    this.container.dataset.state = "loading";
    const started = performance.now();
    let cursor = null;
    let drawn = 0;
    try {
      do {
        const { body } = await getJson(timelineUrl(slug, withoutRange(filters), { cursor, limit: PAGE }));
        if (generation !== this.generation) return;
        for (const event of body.data) this.events.set(event.id, event);
        cursor = body.next_cursor;
        if (!cursor || performance.now() - drawn > 600) { this.draw(); drawn = performance.now(); }
      } while (cursor && this.events.size < MAX);
    } catch (err) {
      if (generation === this.generation) {
        this.key = null;  // the next open tries again
        this.container.dataset.state = "error";
        this.onStatus(`Time axis: ${err.message}`);
      }
      return;
    }
    this.findDuplicates();
    this.container.dataset.state = "ready";
    this.container.dataset.loadMs = String(Math.round(performance.now() - started));
  }

  clear() {
    this.key = null;
    this.generation += 1;
    this.events = new Map();
    this.duplicates = new Map();
    this.axis.clear();
  }

  draw() { this.axis.setLanes(lanesByType([...this.events.values()].sort(compareEvents))); }

  findDuplicates() {
    this.duplicates = duplicateIndex([...this.events.values()]);
    this.onDuplicates();
  }

  /** Keep the axis in step with one event from the change feed. */
  upsert(event) {
    const shows = (event.actors || []).some((a) => a.slug === this.slug);
    if (shows && matchesFilters(event, withoutRange(this.filters))) this.events.set(event.id, event);
    else if (!this.events.delete(event.id)) return;
    this.redraw();
  }

  remove(id) { if (this.events.delete(id)) this.redraw(); }
}
