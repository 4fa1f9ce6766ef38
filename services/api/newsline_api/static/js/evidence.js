// The evidence panel: each source's sentence with actor, date and amount highlighted,
// links to the articles, and each source's date, amount or product side by side when
// sources disagree.
import { getJson } from "./api.js";
import { dateLabel, quantityChip, typeBadge } from "./cards.js";
import { $, articleLink, el, fill } from "./dom.js";
import { disagreements, duplicateText } from "./conflicts.js";
import { formatConfidence, formatDate, quantityText } from "./format.js";
import { highlightEvidence } from "./highlight.js";
import { vocabulary } from "./vocabulary.js";

export class EvidencePanel {
  constructor({ onResponses, features, aliases, duplicates = () => [] }) {
    this.aliases = aliases;
    this.duplicates = duplicates;
    this.panel = $("evidence-panel");
    this.body = $("evidence");
    this.onResponses = onResponses;
    this.features = features;
    this.returnFocus = null;
    this.eventId = null;
    $("evidence-close").addEventListener("click", () => this.close());
  }

  get isOpen() { return !this.panel.hidden; }

  /** Show `event` now, then refresh it from /v1/events/{id} (every source, latest merge). */
  async open(event, fromNode) {
    this.returnFocus = fromNode || document.activeElement;
    this.eventId = event.id;
    this.render(event);
    this.panel.hidden = false;
    document.body.classList.add("panel-open");
    $("evidence-title").focus();
    try {
      const { body } = await getJson(`/v1/events/${encodeURIComponent(event.id)}`);
      if (this.eventId === event.id) this.render(body);
    } catch (err) {
      if (err.status === 404 && this.eventId === event.id) {
        this.body.prepend(el("p", { cls: "note", text: "This event has since been removed or merged." }));
      }
    }
  }

  close() {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    this.eventId = null;
    document.body.classList.remove("panel-open");
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
  }

  render(event) {
    const actors = event.actors || [];
    const respondable = vocabulary.response_triggers.includes(event.type)
      && this.features.responses !== false;
    fill(this.body,
      el("div", { cls: "panel-head" }, typeBadge(event.type), dateLabel(event),
        el("span", { cls: "confidence", text: `confidence ${formatConfidence(event.confidence)}` })),
      el("p", { cls: "summary big", text: event.summary }),
      el("div", { cls: "meta" }, quantityChip(event.quantity),
        event.product ? el("span", { cls: "product", text: event.product }) : null,
        ...actors.map((a) => el("span", { cls: `actor-chip role-${a.role === "object" ? "object" : "subject"}`,
          text: `${a.name} · ${a.role}` }))),
      ...disagreements(event).map((d) => this.conflictBox(d)),
      this.duplicateBox(event),
      respondable ? el("button", { cls: "action", text: "Who responded, and how fast?",
        attrs: { type: "button" }, on: { click: () => this.onResponses(event) } }) : null,
      el("h3", { text: `Evidence from ${event.sources.length} source${event.sources.length === 1 ? "" : "s"}` }),
      el("p", { cls: "legend" }, "Highlighted: ",
        el("mark", { cls: "hl hl-actor", text: "actor" }), " ",
        el("mark", { cls: "hl hl-date", text: "date" }), " ",
        el("mark", { cls: "hl hl-amount", text: "amount" })),
      ...event.sources.map((source) => this.renderSource(event, source)),
    );
  }

  /** "Sources disagree on the date": each source with the value it gave. */
  conflictBox({ kind, groups, detail }) {
    return el("div", { cls: "conflict-box", attrs: { role: "note", "data-kind": kind } },
      el("strong", { text: `Sources disagree on the ${kind}` }),
      groups.length > 1 ? el("ul", {}, ...groups.flatMap((g) => g.sources.map((s) => el("li", {},
        el("span", { cls: "lang", text: s.language }),
        el("span", { cls: "source-qty", text: g.value }),
        el("span", { cls: "outlet", text: s.title || s.source || "article" })))))
        : el("p", { text: detail }));
  }

  /** Other events that may be this one read twice, each a button that opens it here. */
  duplicateBox(event) {
    const others = this.duplicates(event.id) || [];
    if (!others.length) return null;
    return el("div", { cls: "conflict-box duplicates", attrs: { role: "note" } },
      el("strong", { text: "May be the same event as" }),
      el("ul", {}, ...others.slice(0, 5).map((other) => el("li", {}, el("button", {
        cls: "dup-link", text: duplicateText(event, other), attrs: { type: "button", title: other.summary },
        on: { click: () => this.open(other, this.returnFocus) } })))));
  }

  renderSource(event, source) {
    const evidence = source.evidence || event.evidence || { text: "" };
    const quote = el("blockquote", { attrs: { lang: source.language } });
    quote.append(highlightEvidence(evidence.text, {
      actors: event.actors.map((a) => ({ ...a, aliases: this.aliases(a.slug) })),
      date: source.date || event.date, quantities: [source.quantity, event.quantity],
    }));
    const published = source.published_at ? source.published_at.slice(0, 10) : null;
    return el("figure", { cls: "evidence" }, quote,
      el("figcaption", {},
        el("span", { cls: "lang", text: source.language }),
        articleLink(source.url, source.title || source.source || "untitled article"),
        source.source && source.title ? el("span", { cls: "outlet", text: source.source }) : null,
        published ? el("span", { cls: "outlet", text: published }) : null,
        // What this source gives otherwise than the event shows.
        source.date && (source.date !== event.date || source.date_precision !== event.date_precision)
          ? el("span", { cls: "source-date",
            text: `dates it ${formatDate(source.date, source.date_precision)}` }) : null,
        source.product && source.product !== event.product
          ? el("span", { cls: "product", text: source.product }) : null,
        source.quantity ? el("span", { cls: "source-qty", text: quantityText(source.quantity) }) : null,
        el("span", { cls: "outlet", text: `chars ${evidence.start}–${evidence.end}` }),
        el("span", { cls: "confidence", text: formatConfidence(source.confidence) })));
  }
}
