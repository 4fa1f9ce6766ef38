// Newsline dashboard: plain JS, no build step.
// Article-derived text is untrusted (it can carry <script> payloads): it only ever
// reaches the page through textContent or attribute setters, never innerHTML.
"use strict";

const POLL_MS = 5000;
const PAGE = 50;
const MAX_LIMIT = 200;
const $ = (id) => document.getElementById(id);
const state = { slug: null, etag: null, limit: PAGE, nextCursor: null, events: [], selected: null };

// Build an element; `text` always goes through textContent.
function el(tag, { cls, text, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) if (child) node.append(child);
  return node;
}

// Only http(s) links: an article URL of "javascript:..." must never become a live link.
function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function showStatus(text) { $("status").textContent = text; }

async function getJson(url, headers = {}) {
  // no-store: the browser cache must not answer for us, or we would never see a 304.
  const resp = await fetch(url, { headers, cache: "no-store" });
  if (resp.status === 304) return { status: 304 };
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(body.message || `HTTP ${resp.status}`);
  return { status: resp.status, body, etag: resp.headers.get("ETag") };
}

function formatDate(date, precision) {
  if (precision === "year") return date.slice(0, 4);
  if (precision === "month") return date.slice(0, 7);
  return date;
}

async function loadActors() {
  const q = $("actor-search").value.trim();
  try {
    const { body } = await getJson("/v1/actors" + (q ? "?q=" + encodeURIComponent(q) : ""));
    const list = $("actor-list");
    list.replaceChildren(...body.data.map(renderActor));
    if (!body.data.length) list.append(el("li", { cls: "empty", text: "No actors match." }));
  } catch (err) {
    showStatus("Actors: " + err.message);
  }
}

function renderActor(actor) {
  const button = el("button", { attrs: { type: "button" } },
    el("span", { cls: "name", text: actor.name }),
    el("span", { cls: "count", text: actor.event_count }),
    actor.latest_event_date ? el("span", { cls: "latest", text: actor.latest_event_date }) : null);
  if (actor.slug === state.slug) button.classList.add("current");
  if (!actor.reviewed) button.classList.add("unreviewed");
  button.addEventListener("click", () => selectActor(actor.slug));
  return el("li", {}, button);
}

function timelineUrl(cursor, limit) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  return `/v1/actors/${encodeURIComponent(state.slug)}/timeline?${params}`;
}

function selectActor(slug) {
  Object.assign(state, { slug, etag: null, limit: PAGE, nextCursor: null, events: [], selected: null });
  location.hash = "#/actors/" + encodeURIComponent(slug);
  $("evidence-panel").hidden = true;
  refreshTimeline();
  loadActors();
}

// Re-read everything shown so far (one request of up to MAX_LIMIT events); a 304 costs nothing.
async function refreshTimeline() {
  const slug = state.slug;
  if (!slug) return;
  try {
    const headers = state.etag ? { "If-None-Match": state.etag } : {};
    const result = await getJson(timelineUrl(null, state.limit), headers);
    if (slug !== state.slug || result.status === 304) return;
    state.etag = result.etag;
    state.events = result.body.data;
    state.nextCursor = result.body.next_cursor;
    $("timeline-title").textContent = result.body.actor.name;
    renderTimeline();
    showStatus("Updated " + new Date().toLocaleTimeString());
  } catch (err) {
    showStatus("Timeline: " + err.message);
  }
}

async function loadMore() {
  if (!state.nextCursor) return;
  try {
    const { body } = await getJson(timelineUrl(state.nextCursor, PAGE));
    state.events = state.events.concat(body.data);
    state.nextCursor = body.next_cursor;
    // Later polls re-read what is shown in one request (the api caps a page at MAX_LIMIT).
    state.limit = Math.min(MAX_LIMIT, state.events.length);
    state.etag = null;
    renderTimeline();
  } catch (err) {
    showStatus("More: " + err.message);
  }
}

function renderTimeline() {
  $("timeline").replaceChildren(...state.events.map(renderEvent));
  if (!state.events.length) $("timeline").append(el("li", { cls: "empty", text: "No events yet." }));
  $("more").hidden = !state.nextCursor;
  if (state.selected) {
    const again = state.events.find((e) => e.id === state.selected);
    if (again) showEvidence(again);
  }
}

function renderEvent(event) {
  const type = /^[a-z_]+$/.test(event.type) ? event.type : "other";
  const meta = el("div", { cls: "meta" });
  if (event.quantity) {
    meta.append(el("span", { cls: "quantity",
      text: `${event.quantity.value.toLocaleString()} ${event.quantity.unit}` }));
  }
  if (event.product) meta.append(el("span", { cls: "product", text: event.product }));
  meta.append(el("span", { cls: "actors",
    text: event.actors.map((a) => `${a.name} (${a.role})`).join(", ") }));
  const item = el("li", { cls: "event", attrs: { tabindex: "0" } },
    el("time", { text: formatDate(event.date, event.date_precision),
      attrs: { datetime: event.date, title: `${event.date_precision}, ${event.date_basis}` } }),
    el("span", { cls: `badge type-${type}`, text: type.replaceAll("_", " ") }),
    el("p", { cls: "summary", text: event.summary }),
    meta,
    el("ul", { cls: "sources" }, ...event.sources.map(renderSource)));
  if (event.date_basis === "reported") item.classList.add("reported");
  if (event.id === state.selected) item.classList.add("selected");
  const open = () => { state.selected = event.id; showEvidence(event); renderSelection(); };
  item.addEventListener("click", (e) => { if (!e.target.closest("a")) open(); });
  item.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  return item;
}

function renderSource(source) {
  const label = source.title || source.source || source.url || "untitled article";
  const href = source.url ? safeHref(source.url) : null;
  const link = href
    ? el("a", { text: label, attrs: { href, target: "_blank", rel: "noopener noreferrer" } })
    : el("span", { text: label });
  return el("li", {}, el("span", { cls: "lang", text: source.language }), link,
    source.source ? el("span", { cls: "outlet", text: source.source }) : null);
}

function renderSelection() {
  const items = $("timeline").children;
  state.events.forEach((e, i) => items[i]?.classList.toggle("selected", e.id === state.selected));
}

function showEvidence(event) {
  $("evidence-panel").hidden = false;
  $("evidence").replaceChildren(el("p", { cls: "summary", text: event.summary }),
    ...event.sources.map((s) => el("figure", {},
      el("blockquote", { text: s.evidence.text, attrs: { lang: s.language } }),
      el("figcaption", { text: `${s.source || s.title || "article"} · ${s.language} · ` +
        `confidence ${s.confidence.toFixed(2)}` }))));
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

$("actor-search").addEventListener("input", debounce(loadActors, 250));
$("more").addEventListener("click", loadMore);
setInterval(() => { if (!document.hidden) refreshTimeline(); }, POLL_MS);

const fromHash = location.hash.match(/^#\/actors\/(.+)$/);
if (fromHash) selectActor(decodeURIComponent(fromHash[1]));
else loadActors();
