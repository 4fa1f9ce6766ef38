// How values read on screen: dates by precision, amounts in full and compact, type labels.
import { vocabulary } from "./vocabulary.js";

const FULL = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CURRENCY = { USD: "$", EUR: "€", CNY: "¥", RMB: "¥", GBP: "£", JPY: "¥" };

/** "9 Jul 2024", "Jul 2024" or "2024" depending on how precise the date is. */
export function formatDate(date, precision = "day") {
  const [y, m, d] = String(date).split("-");
  if (precision === "year" || !m) return y;
  const month = MONTHS[Number(m) - 1] || m;
  if (precision === "month" || !d) return `${month} ${y}`;
  return `${Number(d)} ${month} ${y}`;
}

/** "50,000,000 tokens" and, for big numbers, the compact form "50M". */
export function formatQuantity(quantity) {
  if (!quantity) return null;
  const { value, unit } = quantity;
  if (unit === "percent" || unit === "%") return { full: `${FULL.format(value)}%`, short: null };
  const symbol = CURRENCY[String(unit).toUpperCase()];
  const full = symbol ? `${symbol}${FULL.format(value)}` : `${FULL.format(value)} ${unit}`;
  const short = Math.abs(value) >= 10000 ? `${symbol || ""}${COMPACT.format(value)}` : null;
  return { full, short };
}

export function quantityText(quantity) {
  const q = formatQuantity(quantity);
  if (!q) return "";
  return q.short ? `${q.full} (${q.short})` : q.full;
}

/** Safe CSS class suffix for an event type (types come from the API, still: be strict). */
export function typeClass(type) {
  return /^[a-z_]+$/.test(type || "") ? type : "other";
}

export function typeLabel(type) {
  return typeClass(type).replaceAll("_", " ");
}

export function formatConfidence(c) {
  return typeof c === "number" ? `${Math.round(c * 100)}%` : "";
}

/** The API's timeline order: date, more precise first, then first seen, then id. */
export function compareEvents(a, b) {
  const rank = (e) => vocabulary.precision_rank[e.date_precision] ?? Infinity;
  return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
    || (rank(a) - rank(b) || 0)
    || (a.first_seen_at < b.first_seen_at ? -1 : a.first_seen_at > b.first_seen_at ? 1 : 0)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
