// Several actors side by side: one column per actor, one row per date.
import { getJson, HttpError, mergedUrl, timelineUrl } from "./api.js";
import { dateLabel, eventCard } from "./cards.js";
import { el, fill } from "./dom.js";
import { compareEvents } from "./format.js";

const LIMIT = 200;

export class CompareView {
  constructor(container, { onOpen, onRemove, features }) {
    Object.assign(this, { container, onOpen, onRemove, features });
    this.slugs = [];
    this.events = new Map();
    this.names = new Map();
    this.cursor = null;
  }

  /** Load and draw the actors' merged timeline (the merged endpoint, or one call per actor). */
  async open(slugs, filters, names) {
    this.slugs = slugs;
    this.filters = filters;
    this.events = new Map();
    this.cursor = null;
    for (const [slug, name] of names) this.names.set(slug, name);
    if (slugs.length) await this.fetch();
    this.render(new Set());
  }

  async fetch(cursor) {
    if (this.features.merged !== false) {
      try {
        const { body } = await getJson(mergedUrl(this.slugs, this.filters, { cursor, limit: LIMIT }));
        for (const a of body.actors || []) this.names.set(a.slug, a.name);
        for (const e of body.data) this.events.set(e.id, e);
        this.cursor = body.next_cursor;
        return;
      } catch (err) {
        if (!(err instanceof HttpError) || (err.status !== 404 && err.status !== 405)) throw err;
        this.features.merged = false;
      }
    }
    const pages = await Promise.all(this.slugs.map((slug) =>
      getJson(timelineUrl(slug, this.filters, { limit: LIMIT })).catch(() => null)));
    pages.forEach((page, i) => {
      if (!page) return;
      this.names.set(this.slugs[i], page.body.actor.name);
      for (const e of page.body.data) this.events.set(e.id, e);
    });
    this.cursor = null;
  }

  upsert(event) {
    if (!(event.actors || []).some((a) => this.slugs.includes(a.slug))) return false;
    this.events.set(event.id, event);
    return true;
  }

  remove(id) { return this.events.delete(id); }

  render(fresh) {
    if (!this.slugs.length) {
      this.container.replaceChildren(el("p", { cls: "note",
        text: "Pick two or more actors from the list to compare their timelines." }));
      return;
    }
    for (const e of this.events.values()) {
      for (const a of e.actors) if (!this.names.has(a.slug)) this.names.set(a.slug, a.name);
    }
    const head = el("tr", {}, el("th", { cls: "date-col", text: "Date", attrs: { scope: "col" } }),
      ...this.slugs.map((slug) => el("th", { attrs: { scope: "col" } },
        el("span", { text: this.names.get(slug) || slug }),
        el("button", { cls: "chip-remove", text: "×", attrs: { type: "button",
          "aria-label": `Remove ${this.names.get(slug) || slug} from the comparison` },
        on: { click: () => this.onRemove(slug) } }))));
    const rows = [];
    let row = null;
    for (const event of [...this.events.values()].sort(compareEvents)) {
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
    const body = rows.map((r) => el("tr", {},
      el("th", { cls: "date-col", attrs: { scope: "row" } }, dateLabel(r.event)),
      ...r.cells.map((events, i) => el("td", {}, ...events.map((event) => {
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
      this.cursor ? el("button", { cls: "more", text: "Load more", attrs: { type: "button" },
        on: { click: async () => { await this.fetch(this.cursor); this.render(new Set()); } } }) : null);
  }
}
