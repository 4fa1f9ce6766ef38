// What a card should warn about: sources of one event that disagree, and other events that
// may be the same one read twice (a source saying 10 July where another says 9 July makes
// a second event, since the date is part of what merges sources). Pure functions.
import { conflictingQuantities, formatDate, quantityText } from "./format.js";
import { eventSpan } from "./timescale.js";

const who = (s) => s.source || s.title || s.language;

/** What the sources disagree on: [{ kind: "amount" | "date" | "product", detail }]. */
export function disagreements(event) {
  const found = [];
  const amounts = conflictingQuantities(event);
  if (amounts) {
    found.push({ kind: "amount", detail: amounts.map((group) => `${quantityText(group[0].quantity)} (`
      + group.map(who).join(", ") + ")").join(" vs ") });
  }
  // Per-source dates and products, for documents that carry them.
  for (const kind of ["date", "product"]) {
    const values = new Map();
    for (const source of event.sources || []) {
      const value = source[kind];
      if (value === undefined || value === null || value === "") continue;
      if (!values.has(value)) values.set(value, []);
      values.get(value).push(source);
    }
    if (values.size > 1) {
      found.push({ kind, detail: [...values].map(([value, sources]) => `${kind === "date"
        ? formatDate(value) : value} (${sources.map(who).join(", ")})`).join(" vs ") });
    }
  }
  return found;
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
