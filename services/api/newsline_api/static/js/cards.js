// One event as a card: date, type badge, summary, amount, product, actors, sources.
import { disagreements, duplicateText } from "./conflicts.js";
import { el } from "./dom.js";
import {
  formatConfidence, formatDate, formatQuantity, quantityText, typeClass, typeLabel,
} from "./format.js";
import { basisKind } from "./timescale.js";

// How a date the sentence did not give is labelled next to it.
const BASIS_LABEL = { reported: "reported", received: "undated · received", inferred: "inferred" };
const BASIS_TITLE = {
  stated: "the sentence gives this date",
  reported: "the sentence gives no date: shown at the article's publication date",
  received: "undated: neither the sentence nor the article gives a date; shown at the day it was received",
  inferred: "inferred: estimated from the other dates the article gives",
};

export function typeBadge(type) {
  return el("span", { cls: `badge type-${typeClass(type)}`, text: typeLabel(type) });
}

export function dateLabel(event) {
  const kind = basisKind(event.date_basis);
  return el("time", {
    cls: `date basis-${kind}`, text: formatDate(event.date, event.date_precision),
    attrs: { datetime: event.date,
      title: `${event.date_precision} precision; ${BASIS_TITLE[kind] || event.date_basis}` },
  }, BASIS_LABEL[kind] ? el("span", { cls: `basis basis-${kind}`, text: BASIS_LABEL[kind] }) : null);
}

export function quantityChip(quantity) {
  const q = formatQuantity(quantity);
  if (!q) return null;
  return el("span", { cls: "quantity", attrs: { title: quantityText(quantity) } },
    el("strong", { text: q.full }), q.short ? el("span", { cls: "short", text: q.short }) : null);
}

/** "sources disagree" badge naming what differs, each source's value in its title. */
export function conflictBadge(event, found = disagreements(event)) {
  if (!found.length) return null;
  const detail = found.map((d) => `${d.kind}: ${d.detail}`).join("; ");
  return el("span", { cls: "badge conflict", text: "sources disagree",
    attrs: { title: detail, "data-kinds": found.map((d) => d.kind).join(" ") } },
  el("span", { cls: "conflict-detail", text: ` on the ${found.map((d) => d.kind).join(", ")}` }));
}

/** The values behind the badge, on the card itself (a phone has no hover for the title). */
function conflictValues(found) {
  if (!found.length) return null;
  return el("ul", { cls: "conflict-values", attrs: { "aria-label": "what the sources say" } },
    ...found.map((d) => el("li", { attrs: { "data-kind": d.kind } },
      el("strong", { text: `${d.kind}: ` }), d.detail)));
}

/** Fill a card's duplicate slot with links to events that may be the same one. */
export function showDuplicates(card, event, others, onOpen) {
  const slot = card.querySelector(".dup-slot");
  if (!slot) return;
  const [first, ...rest] = others || [];
  slot.replaceChildren(...(first ? [el("button", {
    cls: "dup-link", text: duplicateText(event, first),
    attrs: { type: "button", "data-duplicate-of": first.id,
      title: `${first.summary} — may be the same event as this one` },
    on: { click: (e) => { e.stopPropagation(); onOpen(first, e.currentTarget); } },
  }), rest.length ? el("span", { cls: "outlet", text: `+${rest.length} more` }) : null]
    .filter(Boolean) : []));
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
  const found = disagreements(event);
  const card = el("article", {
    cls: `event-card type-border-${typeClass(event.type)}`,
    attrs: { tabindex: "0", "data-event-id": event.id, "aria-label": event.summary },
  },
  el("header", { cls: "card-head" }, showDate ? dateLabel(event) : null, typeBadge(event.type), conflictBadge(event, found),
    el("span", { cls: "confidence", text: formatConfidence(event.confidence),
      attrs: { title: "confidence" } })),
  el("p", { cls: "summary", text: event.summary }),
  conflictValues(found),
  el("div", { cls: "meta" },
    quantityChip(event.quantity),
    event.product ? el("span", { cls: "product", text: event.product }) : null,
    others.length ? el("span", { cls: "actors" }, ...others.map((a) =>
      el("span", { cls: `actor-chip role-${typeClass(a.role)}`, text: a.name,
        attrs: { title: a.role } }))) : null,
    compact ? languages(event) : null),
  el("div", { cls: "dup-slot" }),
  compact ? null : sourceList(event));
  card.classList.add(`basis-${basisKind(event.date_basis)}`);
  if (event.date_basis === "reported") card.classList.add("reported");
  // In a column of the object (OpenAI in "Baidu targets OpenAI users"), the event is context.
  if ((event.actors || []).find((a) => a.slug === focusActor)?.role === "object") {
    card.classList.add("as-object");
  }
  return card;
}
