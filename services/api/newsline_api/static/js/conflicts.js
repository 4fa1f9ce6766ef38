// What a card should warn about: sources of one event that disagree, and other events that
// may be the same one read twice (a source saying 10 July where another says 9 July makes
// a second event, since the date is part of what merges sources). Pure functions.
import { formatDate, quantityText } from "./format.js";
import { eventSpan } from "./timescale.js";

const who = (s) => s.source || s.title || s.language;

// Each source's value of what may disagree, as a person reads it ("" when it states none).
const VALUE = {
  date: (s) => (s.date ? formatDate(s.date, s.date_precision) : ""),
  amount: (s) => (s.quantity ? quantityText(s.quantity) : ""),
  product: (s) => s.product || "",
};
const EVENT_VALUE = {
  date: (e) => formatDate(e.date, e.date_precision),
  amount: (e) => (e.quantity ? quantityText(e.quantity) : ""),
  product: (e) => e.product || "",
};

/**
 * What the sources disagree on: [{ kind, groups: [{ value, sources }], detail }], in the
 * API's order. Which kinds comes from the API (`disagreements`, found over every source);
 * `groups` shows the sources at hand by value. A page carries only the most confident few
 * sources: when the one that differs is not among them, the detail says so.
 */
export function disagreements(event) {
  return (event.disagreements || []).filter((kind) => VALUE[kind]).map((kind) => {
    const byValue = new Map();
    for (const source of event.sources || []) {
      const value = VALUE[kind](source);
      if (!value) continue;
      if (!byValue.has(value)) byValue.set(value, []);
      byValue.get(value).push(source);
    }
    // What the card shows first, then what the other sources say.
    const shown = EVENT_VALUE[kind](event);
    const groups = [...byValue].map(([value, sources]) => ({ value, sources }))
      .sort((a, b) => (b.value === shown) - (a.value === shown));
    const detail = groups.length > 1
      ? groups.map((g) => `${g.value} (${g.sources.map(who).join(", ")})`).join(" vs ")
      : `${shown}; another of its ${event.source_count || "other"} sources `
        + "says otherwise (open the evidence)";
    return { kind, groups, detail };
  });
}

function subjects(event) {
  const acting = (event.actors || []).filter((a) => a.role !== "object");
  return (acting.length ? acting : event.actors || []).map((a) => a.slug).sort().join(",");
}

/** Whether two events of the same actors and type lie within their dates' precision. */
function near(a, b) {
  if (a.span[0] < b.span[1] && b.span[0] < a.span[1]) return true;  // 9 Jul within Jul
  return a.event.date_precision === "day" && b.event.date_precision === "day"
    && Math.abs(a.span[0] - b.span[0]) <= 1;                         // 9 Jul and 10 Jul
}

/** What differs between two possible duplicates, in words. */
export function differences(a, b) {
  const out = [];
  if (a.date !== b.date || a.date_precision !== b.date_precision) out.push("date");
  const qa = a.quantity ? `${a.quantity.value}|${a.quantity.unit}` : "";
  const qb = b.quantity ? `${b.quantity.value}|${b.quantity.unit}` : "";
  if (qa && qb && qa !== qb) out.push("amount");
  if ((a.product || "") !== (b.product || "")) out.push("product");
  return out;
}

/**
 * Possible duplicates among `events`: same type, same acting actors, dates within their
 * precision. A Map from event id to the other events, nearest first.
 */
export function duplicateIndex(events) {
  const groups = new Map();
  for (const event of events) {
    const key = `${event.type}|${subjects(event)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ event, span: eventSpan(event) });
  }
  const index = new Map();
  const link = (a, b) => {
    if (!index.has(a.id)) index.set(a.id, []);
    index.get(a.id).push(b);
  };
  for (const items of groups.values()) {
    if (items.length < 2) continue;
    items.sort((x, y) => x.span[0] - y.span[0]);
    for (let i = 0; i < items.length; i += 1) {
      const a = items[i];
      for (let j = i + 1; j < items.length && items[j].span[0] <= a.span[1] + 1; j += 1) {
        if (near(a, items[j])) { link(a.event, items[j].event); link(items[j].event, a.event); }
      }
    }
  }
  // Nearest first: the same precision before a coarser date, then the closest day.
  const start = (e) => eventSpan(e)[0];
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const [id, others] of index) {
    const self = byId.get(id);
    const score = (o) => (o.date_precision === self.date_precision ? 0 : 1e6)
      + Math.abs(start(o) - start(self));
    others.sort((a, b) => score(a) - score(b));
  }
  return index;
}

/** "possible duplicate: 10 Jul 2024 (date differs)". */
export function duplicateText(event, other) {
  const diff = differences(event, other);
  return `possible duplicate: ${formatDate(other.date, other.date_precision)}`
    + (diff.length ? ` (${diff.join(", ")} differ${diff.length === 1 ? "s" : ""})` : "");
}
