// Time as numbers for drawing: dates become day numbers (days since 1970-01-01, UTC), an
// event becomes the interval its precision covers (a month is 28-31 days, not a point),
// and an axis gets calendar ticks and a density histogram. Pure functions, no DOM.

const MS_DAY = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2024-07-09" → 19913. */
export function dayNumber(iso) {
  const [y, m, d] = String(iso).split("-").map(Number);
  return Date.UTC(y, (m || 1) - 1, d || 1) / MS_DAY;
}

/** 19913 → "2024-07-09". */
export function isoDate(day) {
  return new Date(Math.floor(day) * MS_DAY).toISOString().slice(0, 10);
}

/** [start, end) in day numbers: one day, the whole month or the whole year. */
export function eventSpan(event) {
  const start = dayNumber(event.date);
  const [y, m] = String(event.date).split("-").map(Number);
  if (event.date_precision === "year") return [start, Date.UTC(y + 1, 0, 1) / MS_DAY];
  if (event.date_precision === "month") return [start, Date.UTC(y, m, 1) / MS_DAY];
  return [start, start + 1];
}

/** How an event's date was found, as the axis and the cards draw it. */
export function basisKind(basis) {
  if (basis === "received") return "received";   // undated: sits at the day it arrived
  if (basis === "inferred") return "inferred";   // estimated from the article's other dates
  if (basis === "reported") return "reported";   // undated: sits at the publication date
  return "stated";
}

/** The whole range of some events, padded so marks at the ends stay visible. */
export function extent(spans, { pad = 0.03, minDays = 30 } = {}) {
  if (!spans.length) {
    const today = Math.floor(Date.now() / MS_DAY);
    return [today - 180, today + 1];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const [s, e] of spans) { if (s < lo) lo = s; if (e > hi) hi = e; }
  const width = Math.max(hi - lo, minDays);
  const mid = (lo + hi) / 2;
  return [mid - width * (0.5 + pad), mid + width * (0.5 + pad)];
}

const APPROX = { day: 1, month: 30.44, year: 365.25 };
const STEPS = [[1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [2, "month"],
  [3, "month"], [6, "month"], [1, "year"], [2, "year"], [5, "year"], [10, "year"], [25, "year"],
  [50, "year"], [100, "year"]];

/** Calendar ticks between d0 and d1 at least `minGap` pixels apart on `px` pixels. */
export function timeTicks(d0, d1, px, minGap = 72) {
  const perDay = px / Math.max(d1 - d0, 1e-6);
  const [n, unit] = STEPS.find(([k, u]) => k * APPROX[u] * perDay >= minGap) || STEPS.at(-1);
  const ticks = [];
  const first = new Date(Math.floor(d0) * MS_DAY);
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  if (unit === "year") { y = Math.floor(y / n) * n; m = 0; }
  if (unit === "month") m = Math.floor(m / n) * n;
  let day = unit === "day" ? Math.floor(d0 / n) * n : Date.UTC(y, m, 1) / MS_DAY;
  for (let guard = 0; day <= d1 && guard < 400; guard += 1) {
    if (day >= d0) ticks.push({ day, label: tickLabel(day, unit), major: isMajor(day, unit) });
    if (unit === "day") day += n;
    else if (unit === "month") { m += n; day = Date.UTC(y, m, 1) / MS_DAY; }
    else { y += n; day = Date.UTC(y, 0, 1) / MS_DAY; }
  }
  return { ticks, unit };
}

function tickLabel(day, unit) {
  const d = new Date(day * MS_DAY);
  if (unit === "year") return String(d.getUTCFullYear());
  if (unit === "month") {
    return d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : MONTHS[d.getUTCMonth()];
  }
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

function isMajor(day, unit) {
  const d = new Date(day * MS_DAY);
  return unit === "month" ? d.getUTCMonth() === 0 : unit === "day" ? d.getUTCDate() === 1 : true;
}

/** "Jul 2024 – Mar 2026" for a view of d0..d1. */
export function rangeLabel(d0, d1) {
  const a = new Date(d0 * MS_DAY);
  const b = new Date(d1 * MS_DAY);
  const fmt = (d) => (d1 - d0 < 90 ? `${d.getUTCDate()} ` : "") + `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return `${fmt(a)} – ${fmt(b)}`;
}

/** Counts of span starts in `bins` equal slices of [d0, d1). */
export function histogram(spans, d0, d1, bins) {
  const counts = new Uint32Array(Math.max(1, bins));
  const scale = counts.length / Math.max(d1 - d0, 1e-6);
  for (const [s] of spans) {
    const i = Math.floor((s - d0) * scale);
    if (i >= 0 && i < counts.length) counts[i] += 1;
  }
  return counts;
}

/** Index of the first sorted span starting at or after `day` (binary search). */
export function firstAtOrAfter(spans, day) {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][0] < day) lo = mid + 1; else hi = mid;
  }
  return lo;
}
