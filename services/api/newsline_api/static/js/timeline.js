// One actor's timeline: a time axis over every event (loaded in the background, 200 a
// page) above a dated vertical list loaded a page at a time (keyset cursor), with events
// from the change feed inserted in place so a poll never re-renders the whole list.
import { ActorAxis } from "./actor_axis.js";
import { getJson, matchesFilters, timelineUrl } from "./api.js";
import { eventCard, dateLabel, showDuplicates } from "./cards.js";
import { el } from "./dom.js";
import { compareEvents } from "./format.js";

const PAGE = 50;

export class TimelineView {
  constructor(list, { onOpen, onStatus, moreButton, sentinel, axisContainer, onBrush }) {
    Object.assign(this, { list, onOpen, onStatus, moreButton });
    this.axis = new ActorAxis(axisContainer, {
      onBrush, onStatus, onPick: (event) => this.pick(event),
      onDuplicates: () => this.refreshDuplicates(),
    });
    this.reset(null, {});
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.loadMore();
    }, { rootMargin: "600px" });
    this.observer.observe(sentinel);
    this.sentinel = sentinel;
    // The observer reports only changes: a page that lands while the reader is already at
    // the end (or scrolls back there before the next check) would stall the list.
    let queued = false;
    addEventListener("scroll", () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; if (this.nearEnd()) this.loadMore(); });
    }, { passive: true });
    moreButton.addEventListener("click", () => this.loadMore());
  }

  reset(slug, filters) {
    this.slug = slug;
    this.filters = filters;
    this.events = [];          // loaded events in timeline order
    this.items = new Map();    // event id -> { event, node }
    this.nextCursor = null;
    this.firstEtag = null;
    this.loading = null;
    this.generation = (this.generation || 0) + 1;
    this.list.replaceChildren();
    this.moreButton.hidden = true;
    if (!slug) this.axis?.clear();
  }

  /** Load the first page of `slug`'s timeline; resolves with the page's actor. */
  async open(slug, filters) {
    this.reset(slug, filters);
    const generation = this.generation;
    const { body, etag } = await getJson(timelineUrl(slug, filters, { limit: PAGE }));
    if (generation !== this.generation) return null;
    this.firstEtag = etag;
    this.appendPage(body);
    this.axis.load(slug, filters);
    return body.actor;
  }

  /** Link each loaded card to the events that may be the same one. */
  refreshDuplicates() {
    for (const { event, node } of this.items.values()) {
      showDuplicates(node.querySelector(".event-card"), event, this.axis.duplicates.get(event.id), this.onOpen);
    }
  }

  /** An event picked on the axis: its card comes into view if loaded, the evidence opens. */
  pick(event) {
    const item = this.items.get(event.id);
    if (item) {
      item.node.scrollIntoView({ block: "nearest" });
      item.node.classList.remove("is-picked");
      void item.node.offsetWidth;
      item.node.classList.add("is-picked");
    }
    this.onOpen(this.get(event.id) || event, this.axis.axis.detail);
  }

  async loadMore() {
    if (!this.nextCursor || this.loading) return;
    const generation = this.generation;
    this.loading = getJson(timelineUrl(this.slug, this.filters, { cursor: this.nextCursor, limit: PAGE }));
    try {
      const { body } = await this.loading;
      if (generation === this.generation) this.appendPage(body);
    } catch (err) {
      this.onStatus(`Could not load more: ${err.message}`);
    } finally {
      if (generation === this.generation) this.loading = null;
    }
    if (generation === this.generation && this.nearEnd()) requestAnimationFrame(() => this.loadMore());
  }

  /** Whether the end of the list is within 600 px of the window (never while hidden). */
  nearEnd() {
    return this.sentinel.offsetParent !== null
      && this.sentinel.getBoundingClientRect().top < innerHeight + 600;
  }

  appendPage(body) {
    const fragment = document.createDocumentFragment();
    for (const event of body.data) {
      if (this.items.has(event.id)) continue;
      const node = this.renderItem(event);
      this.items.set(event.id, { event, node });
      this.events.push(event);
      fragment.append(node);
    }
    this.list.append(fragment);
    this.nextCursor = body.next_cursor;
    this.moreButton.hidden = !this.nextCursor;
    this.renderEmpty();
  }

  renderEmpty() {
    const empty = this.list.querySelector(":scope > .empty");
    if (this.events.length && empty) empty.remove();
    if (!this.events.length && !empty) {
      this.list.append(el("li", { cls: "empty", text: "No events match." }));
    }
  }

  renderItem(event) {
    const card = eventCard(event, { focusActor: this.slug, showDate: false });
    showDuplicates(card, event, this.axis.duplicates.get(event.id), this.onOpen);
    card.addEventListener("click", (e) => { if (!e.target.closest("a")) this.onOpen(event, card); });
    card.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.onOpen(event, card); }
    });
    return el("li", { cls: "tl-item", attrs: { "data-event-id": event.id } },
      el("div", { cls: "tl-date" }, dateLabel(event)),
      el("div", { cls: "tl-rail", attrs: { "aria-hidden": "true" } }),
      card);
  }

  /** Insert or replace one event at its place in timeline order; true when it is shown. */
  upsert(event) {
    this.axis.upsert(event);
    const shows = (event.actors || []).some((a) => a.slug === this.slug);
    const current = this.items.get(event.id);
    if (!shows || !matchesFilters(event, this.filters)) {
      if (current) this.remove(event.id);
      return false;
    }
    if (current) {
      this.events.splice(this.events.indexOf(current.event), 1);
    }
    const index = this.events.findIndex((e) => compareEvents(event, e) < 0);
    if (index < 0 && this.nextCursor) {
      // Sorts after what is loaded: the next page will bring it.
      if (current) { current.node.remove(); this.items.delete(event.id); }
      return false;
    }
    const node = this.renderItem(event);
    const before = index < 0 ? null : this.items.get(this.events[index].id).node;
    if (current) current.node.remove();
    this.list.insertBefore(node, before);
    this.events.splice(index < 0 ? this.events.length : index, 0, event);
    this.items.set(event.id, { event, node });
    node.classList.add(current ? "is-updated" : "is-new");
    this.renderEmpty();
    return true;
  }

  remove(id) {
    this.axis.remove(id);
    const current = this.items.get(id);
    if (!current) return;
    current.node.remove();
    this.items.delete(id);
    this.events.splice(this.events.indexOf(current.event), 1);
    this.renderEmpty();
  }

  has(id) { return this.items.has(id); }

  get(id) { return this.items.get(id)?.event; }

  /** Fallback when the server has no change feed: re-read the first page with its ETag. */
  async pollFirstPage() {
    if (!this.slug) return [];
    const generation = this.generation;
    const result = await getJson(timelineUrl(this.slug, this.filters, { limit: PAGE }),
      { etag: this.firstEtag });
    if (result.status === 304 || generation !== this.generation) return [];
    this.firstEtag = result.etag;
    const changed = [];
    for (const event of result.body.data) {
      const known = this.items.get(event.id);
      if (!known || known.event.updated_at !== event.updated_at) {
        if (this.upsert(event)) changed.push({ event, isNew: !known });
      }
    }
    return changed;
  }
}
