// One event as a card: date, type badge, summary, amount, product, actors, sources.
import { el } from "./dom.js";
import {
  conflictingQuantities, formatConfidence, formatDate, formatQuantity, quantityText, typeClass,
  typeLabel,
} from "./format.js";

export function typeBadge(type) {
  return el("span", { cls: `badge type-${typeClass(type)}`, text: typeLabel(type) });
}

export function dateLabel(event) {
  return el("time", {
    cls: "date", text: formatDate(event.date, event.date_precision),
    attrs: { datetime: event.date, title: `${event.date_precision} precision, ${event.date_basis}` },
  }, event.date_basis === "reported" ? el("span", { cls: "basis", text: "reported" }) : null);
}

export function quantityChip(quantity) {
  const q = formatQuantity(quantity);
  if (!q) return null;
  return el("span", { cls: "quantity", attrs: { title: quantityText(quantity) } },
    el("strong", { text: q.full }), q.short ? el("span", { cls: "short", text: q.short }) : null);
}

/** "conflict" badge listing each source's value when sources disagree on the amount. */
export function conflictBadge(event) {
  const groups = conflictingQuantities(event);
  if (!groups) return null;
  const detail = groups.map((sources) => `${quantityText(sources[0].quantity)} (`
    + sources.map((s) => s.source || s.language).join(", ") + ")").join(" vs ");
  return el("span", { cls: "badge conflict", text: "conflict", attrs: { title: detail } },
    el("span", { cls: "conflict-detail", text: `: ${detail}` }));
}

function languages(event) {
  // A page carries the most confident few sources; `languages` lists all of theirs.
  const langs = event.languages
    || [...new Set((event.sources || []).map((s) => s.language))].sort();
  return el("span", { cls: "langs", attrs: { "aria-label": "source languages" } },
    ...langs.map((l) => el("span", { cls: "lang", text: l })));
}

function sourceList(event) {
  return el("ul", { cls: "sources" }, ...(event.sources || []).map((s) => el("li", {},
    el("span", { cls: "lang", text: s.language }),
    el("span", { cls: "source-title", text: s.title || s.source || "untitled article" }),
    s.source && s.title ? el("span", { cls: "outlet", text: s.source }) : null,
    s.quantity ? el("span", { cls: "source-qty", text: quantityText(s.quantity) }) : null)),
  (event.source_count || 0) > (event.sources || []).length
    ? el("li", { cls: "more-sources",
      text: `+ ${event.source_count - event.sources.length} more (open the evidence)` })
    : null);
}

/** A focusable card; `compact` drops the source list (compare view, responses). */
export function eventCard(event, { compact = false, focusActor = null, showDate = true } = {}) {
  const others = (event.actors || []).filter((a) => a.slug !== focusActor);
  const card = el("article", {
    cls: `event-card type-border-${typeClass(event.type)}`,
    attrs: { tabindex: "0", "data-event-id": event.id, "aria-label": event.summary },
  },
  el("header", { cls: "card-head" }, showDate ? dateLabel(event) : null, typeBadge(event.type), conflictBadge(event),
    el("span", { cls: "confidence", text: formatConfidence(event.confidence),
      attrs: { title: "confidence" } })),
  el("p", { cls: "summary", text: event.summary }),
  el("div", { cls: "meta" },
    quantityChip(event.quantity),
    event.product ? el("span", { cls: "product", text: event.product }) : null,
    others.length ? el("span", { cls: "actors" }, ...others.map((a) =>
      el("span", { cls: `actor-chip role-${typeClass(a.role)}`, text: a.name,
        attrs: { title: a.role } }))) : null,
    compact ? languages(event) : null),
  compact ? null : sourceList(event));
  if (event.date_basis === "reported") card.classList.add("reported");
  // In a column of the object (OpenAI in "Baidu targets OpenAI users"), the event is context.
  if ((event.actors || []).find((a) => a.slug === focusActor)?.role === "object") {
    card.classList.add("as-object");
  }
  return card;
}
