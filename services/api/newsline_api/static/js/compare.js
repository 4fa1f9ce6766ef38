// Several actors side by side: one lane per actor on one shared time axis, then a table
// with one column per actor and one row per date (the `from`/`to` range of it).
import { getJson, HttpError, matchesFilters, mergedUrl, timelineUrl } from "./api.js";
import { TimeAxis } from "./axis.js";
import { dateLabel, eventCard } from "./cards.js";
import { el, fill } from "./dom.js";
import { compareEvents } from "./format.js";

const LIMIT = 200;
const MAX_EVENTS = 10000;
const ROWS = 150;

export class CompareView {
  constructor(container, { onOpen, onRemove, features, axisContainer, onBrush }) {
    Object.assign(this, { container, onOpen, onRemove, features, axisContainer });
    this.slugs = [];
    this.events = new Map();
    this.names = new Map();
    this.cursor = null;
    this.rows = ROWS;
    this.axis = new TimeAxis(axisContainer, { label: "Shared time axis, one lane per actor",
      onBrush, onPick: (event) => this.onOpen(event, this.axis.detail) });
  }

  /** Load the actors' merged timeline, all of it (up to 10,000), for the lanes; the range
   * filters only the table, so brushing keeps the whole range on the axis. */
  async open(slugs, filters, names) {
    const same = JSON.stringify(slugs) === JSON.stringify(this.slugs) && this.loaded;
    this.filters = filters;
    this.rows = ROWS;
    for (const [slug, name] of names) this.names.set(slug, name);
    if (!same) {
      this.slugs = slugs;
      this.events = new Map();
      this.cursor = null;
      this.loaded = false;
      this.axis.clear();
      if (slugs.length) {
        let cursor = null;
        do { cursor = await this.fetch(cursor); } while (cursor && this.events.size < MAX_EVENTS);
      }
      this.loaded = true;
    }
    this.render(new Set());
  }

  /** One page; resolves with the cursor of the next one, if any. */
  async fetch(cursor) {
    if (this.features.merged !== false) {
      try {
        const { body } = await getJson(mergedUrl(this.slugs, {}, { cursor, limit: LIMIT }));
        for (const a of body.actors || []) this.names.set(a.slug, a.name);
        for (const e of body.data) this.events.set(e.id, e);
        this.cursor = body.next_cursor;
        return this.cursor;
      } catch (err) {
        if (!(err instanceof HttpError) || (err.status !== 404 && err.status !== 405)) throw err;
        this.features.merged = false;
      }
    }
    const pages = await Promise.all(this.slugs.map((slug) =>
      getJson(timelineUrl(slug, {}, { limit: LIMIT })).catch(() => null)));
    pages.forEach((page, i) => {
      if (!page) return;
      this.names.set(this.slugs[i], page.body.actor.name);
      for (const e of page.body.data) this.events.set(e.id, e);
    });
    this.cursor = null;
    return null;
  }

  upsert(event) {
    if (!(event.actors || []).some((a) => this.slugs.includes(a.slug))) return false;
    this.events.set(event.id, event);
    return true;
  }

  remove(id) { return this.events.delete(id); }

  render(fresh) {
    this.axisContainer.hidden = !this.slugs.length;
    if (!this.slugs.length) {
      this.container.replaceChildren(el("p", { cls: "note",
        text: "Pick two or more actors from the list to compare their timelines." }));
      return;
    }
    for (const e of this.events.values()) {
      for (const a of e.actors) if (!this.names.has(a.slug)) this.names.set(a.slug, a.name);
    }
    const sorted = [...this.events.values()].sort(compareEvents);
    this.axis.setLanes(this.slugs.map((slug) => ({ key: slug, label: this.names.get(slug) || slug,
      events: sorted.filter((e) => e.actors.some((a) => a.slug === slug)) })));
    this.axis.setRange(this.filters.from, this.filters.to);
    const nameOf = (slug) => this.names.get(slug) || slug;
    const head = el("tr", {}, el("th", { cls: "date-col", text: "Date", attrs: { scope: "col" } }),
      ...this.slugs.map((slug) => el("th", { attrs: { scope: "col" } },
        el("span", { text: nameOf(slug) }),
        el("button", { cls: "chip-remove", text: "×", attrs: { type: "button",
          "aria-label": `Remove ${nameOf(slug)} from the comparison` },
        on: { click: () => this.onRemove(slug) } }))));
    const rows = [];
    let row = null;
    for (const event of sorted) {
      if (!matchesFilters(event, this.filters)) continue;
      const key = `${event.date}|${event.date_precision}`;
      if (!row || row.key !== key) {
        row = { key, event, cells: this.slugs.map(() => []) };
        rows.push(row);
      }
      for (const actor of event.actors) {
        const column = this.slugs.indexOf(actor.slug);
        if (column >= 0 && !row.cells[column].includes(event)) row.cells[column].push(event);
      }
    }
    const body = rows.slice(0, this.rows).map((r) => el("tr", {},
      el("th", { cls: "date-col", attrs: { scope: "row" } }, dateLabel(r.event)),
      ...r.cells.map((events, i) => el("td", { cls: events.length ? "" : "none",
        attrs: { "data-actor": nameOf(this.slugs[i]) } }, ...events.map((event) => {
        const card = eventCard(event, { compact: true, focusActor: this.slugs[i], showDate: false });
        if (fresh.has(event.id)) card.classList.add("is-new");
        card.addEventListener("click", () => this.onOpen(event, card));
        card.addEventListener("keydown", (e) => {
          if (e.key === "Enter") { e.preventDefault(); this.onOpen(event, card); }
        });
        return card;
      })))));
    fill(this.container,
      el("div", { cls: "table-scroll" }, el("table", { cls: "compare" },
        el("thead", {}, head), el("tbody", {}, ...body))),
      rows.length ? null : el("p", { cls: "note", text: "No events for these actors." }),
      rows.length > this.rows ? el("button", { cls: "more", text: `Show more rows (${rows.length - this.rows} left)`,
        attrs: { type: "button" }, on: { click: () => { this.rows += ROWS; this.render(new Set()); } } }) : null,
      this.cursor ? el("p", { cls: "note",
        text: `Showing the first ${this.events.size.toLocaleString("en-US")} events.` }) : null);
  }
}
