// Highlight the actor, the date and the amount inside an evidence sentence. The sentence
// is untrusted text: the result is built from text nodes and <mark> elements only.
import { el } from "./dom.js";

const MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November"
  + "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const MONTHS_DE = "Januar|Jänner|Februar|März|Mai|Juni|Juli|Oktober|Dezember";
const MONTH = `(?:${MONTHS_EN}|${MONTHS_DE})`;
const DATE_PATTERNS = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+${MONTH}\\.?,?\\s+\\d{4}\\b`, "g"),
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, "g"),
  new RegExp(`\\b${MONTH}\\s+\\d{4}\\b`, "g"),
  /\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?/g,
];
const SCALES = {
  thousand: 1e3, tausend: 1e3, k: 1e3, "千": 1e3, "万": 1e4, "萬": 1e4,
  million: 1e6, millionen: 1e6, mio: 1e6, m: 1e6, "百万": 1e6, "千万": 1e7,
  billion: 1e9, milliarden: 1e9, milliarde: 1e9, mrd: 1e9, bn: 1e9, b: 1e9, "亿": 1e8, "億": 1e8,
  trillion: 1e12, billionen: 1e12,
};
const AMOUNT = new RegExp(
  "[$€¥£]?\\s?(\\d{1,3}(?:[,.\\u00a0 ]\\d{3})+|\\d+(?:[.,]\\d+)?)\\s?"
  + "(thousand|tausend|millionen|million|mio\\.?|milliarden|milliarde|billionen|billion|trillion"
  + "|mrd\\.?|bn|[kmb](?![a-z])|千万|百万|[千万萬亿億])?"
  + "(\\s?(?:%|percent|prozent|per cent)|(?:\\s(?:free\\s|kostenlose\\s|gratis\\s)?tokens?))?",
  "giu",
);

function parseNumber(text) {
  const compact = text.replace(/[\u00a0 ]/g, "");
  if (/^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(compact)) return Number(compact.replace(/[.,]/g, ""));
  return Number(compact.replace(",", "."));
}

function findAll(text, needle, kind, out) {
  if (!needle) return;
  const hay = text.toLowerCase();
  const low = needle.toLowerCase();
  for (let i = hay.indexOf(low); i >= 0; i = hay.indexOf(low, i + low.length)) {
    out.push({ start: i, end: i + low.length, kind });
  }
}

function actorRanges(text, actors, out) {
  for (const actor of actors || []) {
    const names = new Set([actor.name, ...(actor.aliases || [])]);
    // "Acme Cloud Ltd." is often written "Acme Cloud" further on.
    names.add(actor.name.replace(/[,\s]+(Inc|Ltd|LLC|GmbH|AG|Co|Corp|SE|plc|S\.A)\.?$/i, ""));
    for (const name of names) if (name.length >= 2) findAll(text, name, "actor", out);
  }
}

function dateRanges(text, date, out) {
  const year = String(date || "").slice(0, 4);
  const found = [];
  for (const pattern of DATE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      found.push({ start: m.index, end: m.index + m[0].length, kind: "date", year: m[0].includes(year) });
    }
  }
  // Prefer expressions of the event's own year; other dates in the sentence are context.
  const own = found.filter((r) => r.year);
  out.push(...(own.length ? own : found));
}

function amountRanges(text, quantities, out) {
  const values = quantities.filter(Boolean).map((q) => q.value);
  if (!values.length) return;
  for (const m of text.matchAll(AMOUNT)) {
    const scaleWord = (m[2] || "").toLowerCase().replace(".", "");
    const value = parseNumber(m[1]) * (SCALES[scaleWord] || 1);
    if (values.some((v) => Math.abs(v - value) <= Math.abs(v) * 0.005)) {
      const lead = m[0].length - m[0].trimStart().length;
      out.push({ start: m.index + lead, end: m.index + m[0].trimEnd().length, kind: "amount" });
    }
  }
}

/** Ranges to mark in `text`, non-overlapping, earliest and then longest first. */
export function evidenceRanges(text, { actors, date, quantities = [] }) {
  const ranges = [];
  dateRanges(text, date, ranges);
  amountRanges(text, quantities, ranges);
  actorRanges(text, actors, ranges);
  ranges.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const kept = [];
  for (const r of ranges) if (!kept.length || r.start >= kept[kept.length - 1].end) kept.push(r);
  return kept;
}

const LABELS = { actor: "actor", date: "date", amount: "amount" };

/** A fragment of text nodes and <mark class="hl hl-KIND"> spans for the evidence sentence. */
export function highlightEvidence(text, context) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const r of evidenceRanges(text, context)) {
    if (r.start > at) fragment.append(document.createTextNode(text.slice(at, r.start)));
    fragment.append(el("mark", { cls: `hl hl-${r.kind}`, text: text.slice(r.start, r.end),
      attrs: { title: LABELS[r.kind] } }));
    at = r.end;
  }
  if (at < text.length) fragment.append(document.createTextNode(text.slice(at)));
  return fragment;
}
