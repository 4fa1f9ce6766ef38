// Newsline dashboard entry point: plain ES modules, no build step.
// Routes (URL hash): #actor=openai[&event=ID][&type=..&lang=..&from=..&to=..],
// #compare=openai,baidu, #responses=EVENT_ID[&window=30].
import { detectFeatures, exportUrl, getJson } from "./js/api.js";
import { CompareView } from "./js/compare.js";
import { $, debounce, el, fill } from "./js/dom.js";
import { EvidencePanel } from "./js/evidence.js";
import { LiveFeed } from "./js/live.js";
import { renderResponses } from "./js/responses.js";
import { TimelineView } from "./js/timeline.js";
import { loadVocabulary, vocabulary } from "./js/vocabulary.js";

const LANGUAGES = ["en", "de", "zh"];
const state = { route: null, actors: new Map(), newCount: 0, timelineKey: null, showEmpty: false };

function status(text) { $("status").textContent = text || ""; }

function parseHash() {
  const legacy = location.hash.match(/^#\/actors\/(.+)$/);
  if (legacy) return new URLSearchParams({ actor: decodeURIComponent(legacy[1]) });
  return new URLSearchParams(location.hash.slice(1));
}

function navigate(params, { replace = false } = {}) {
  const hash = "#" + params.toString().replaceAll("%2C", ",");
  if (replace) { history.replaceState(null, "", hash); route(); } else location.hash = hash;
}

function filtersFrom(params) {
  return {
    type: params.get("type") || "", language: params.get("lang") || "",
    from: params.get("from") || "", to: params.get("to") || "",
    min_confidence: params.get("minconf") || "", include_units: params.get("units") === "1",
  };
}

function compareSlugs(params) {
  return (params.get("compare") || "").split(",").map((s) => s.trim()).filter(Boolean);
}

// ---- actor list -----------------------------------------------------------------------

async function loadActors() {
  const q = $("actor-search").value.trim();
  try {
    const { body } = await getJson("/v1/actors" + (q ? "?q=" + encodeURIComponent(q) : ""));
    for (const a of body.data) state.actors.set(a.slug, a);
    // Actors named only in passing (0 events) stay out of the way unless asked for or searched.
    const busy = body.data.filter((a) => a.event_count > 0);
    const idle = body.data.filter((a) => !(a.event_count > 0));
    const shown = q || state.showEmpty ? [...busy, ...idle] : busy;
    const list = $("actor-list");
    list.replaceChildren(...shown.map(renderActor));
    if (idle.length && !q) {
      list.append(el("li", {}, el("button", { cls: "show-empty", text: state.showEmpty
        ? `Hide ${idle.length} actor${idle.length === 1 ? "" : "s"} without events`
        : `Show ${idle.length} actor${idle.length === 1 ? "" : "s"} without events`,
      attrs: { type: "button", "aria-expanded": String(state.showEmpty) },
      on: { click: () => { state.showEmpty = !state.showEmpty; loadActors(); } } })));
    }
    if (!shown.length) list.append(el("li", { cls: "empty", text: "No actors match." }));
    return body.data;
  } catch (err) {
    status(`Actors: ${err.message}`);
    return [];
  }
}
const refreshActors = debounce(loadActors, 400);

function renderActor(actor) {
  const params = parseHash();
  const comparing = params.has("compare");
  const chosen = comparing ? compareSlugs(params).includes(actor.slug) : params.get("actor") === actor.slug;
  const parent = actor.parent ? state.actors.get(actor.parent)?.name || actor.parent : null;
  const button = el("button", {
    cls: `actor${chosen ? " current" : ""}${actor.reviewed ? "" : " unreviewed"}`
      + `${actor.event_count > 0 ? "" : " no-events"}`,
    attrs: { type: "button", "data-slug": actor.slug, "aria-pressed": String(chosen),
      title: actor.reviewed ? actor.name : `${actor.name} (not reviewed yet)` },
    on: { click: () => pickActor(actor.slug) },
  },
  el("span", { cls: "name", text: actor.name }),
  el("span", { cls: "count", text: actor.event_count, attrs: { title: "events" } }),
  el("span", { cls: "sub", text: [actor.kind, parent ? `unit of ${parent}` : null,
    actor.latest_event_date ? `latest ${actor.latest_event_date}` : null].filter(Boolean).join(" · ") }));
  return el("li", {}, button);
}

function pickActor(slug) {
  const params = parseHash();
  if (params.has("compare")) {
    const slugs = compareSlugs(params);
    const next = slugs.includes(slug) ? slugs.filter((s) => s !== slug) : [...slugs, slug];
    navigate(new URLSearchParams({ compare: next.join(",") }));
  } else {
    const keep = new URLSearchParams(params);
    keep.delete("event"); keep.delete("responses"); keep.delete("window");
    keep.set("actor", slug);
    navigate(keep);
  }
}

// ---- views ------------------------------------------------------------------------------

/** A brushed range (or "" to clear) becomes the `from`/`to` filters of the current view. */
function setRange(from, to) {
  const params = parseHash();
  params.delete("event");
  for (const [key, value] of [["from", from], ["to", to]]) {
    if (value) params.set(key, value); else params.delete(key);
  }
  navigate(params);
}

function showView(name) {
  // The evidence panel belongs to the view it was opened from.
  if (document.body.dataset.view !== name && evidence?.isOpen) evidence.close();
  for (const view of ["timeline", "compare", "responses"]) {
    $(`${view}-panel`).hidden = view !== name;
    $(`tab-${view}`)?.setAttribute("aria-current", String(view === name));
  }
  document.body.dataset.view = name;
}

function renderFilters(slug, filters) {
  const bar = $("filters");
  const change = () => {
    const params = new URLSearchParams({ actor: slug });
    const values = { type: $("f-type").value, lang: $("f-lang").value, from: $("f-from").value,
      to: $("f-to").value, minconf: $("f-minconf")?.value || "", units: $("f-units")?.checked ? "1" : "" };
    for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
    navigate(params);
  };
  const select = (id, label, options, value) => el("label", {}, label,
    el("select", { attrs: { id }, on: { change } },
      ...options.map(([v, t]) => el("option", { text: t, attrs: { value: v, selected: v === value } }))));
  const params = features.timelineParams;
  const hasUnits = [...state.actors.values()].some((a) => a.parent === slug);
  fill(bar,
    select("f-type", "Type", [["", "all types"], ...vocabulary.event_types.map((t) => [t, t.replaceAll("_", " ")])], filters.type),
    select("f-lang", "Language", [["", "any"], ...LANGUAGES.map((l) => [l, l])], filters.language),
    el("label", {}, "From", el("input", { attrs: { id: "f-from", type: "date", value: filters.from }, on: { change } })),
    el("label", {}, "To", el("input", { attrs: { id: "f-to", type: "date", value: filters.to }, on: { change } })),
    !features.known || params.has("min_confidence")
      ? select("f-minconf", "Confidence", [["", "any"], ["0.5", "≥ 50%"], ["0.8", "≥ 80%"]], filters.min_confidence)
      : null,
    hasUnits && (!features.known || params.has("include_units"))
      ? el("label", { cls: "check" }, el("input", { attrs: { id: "f-units", type: "checkbox",
        checked: filters.include_units }, on: { change } }), "include units") : null);
}

function renderExports(slug, filters) {
  const formats = [["csv", "csv", "CSV"], ["json", "json", "JSON"],
    ["timelinejs", "timelinejs.json", "TimelineJS"], ["ics", "ics", "iCal"]];
  const offered = formats.filter(([feature]) => features[feature] !== false);
  $("exports").replaceChildren(...(offered.length ? [el("span", { cls: "muted", text: "Export" })] : []),
    ...offered.map(([, ext, label]) => el("a", { text: label,
      attrs: { href: exportUrl(slug, ext, filters), download: "" } })));
}

async function openTimeline(params) {
  const slug = params.get("actor");
  const filters = filtersFrom(params);
  showView("timeline");
  const key = JSON.stringify([slug, filters]);
  if (state.timelineKey !== key) {
    state.timelineKey = key;
    const known = state.actors.get(slug);
    $("timeline-title").textContent = known?.name || slug;
    renderFilters(slug, filters);
    renderExports(slug, filters);
    try {
      const actor = await timeline.open(slug, filters);
      if (!actor) return;
      state.actors.set(actor.slug, actor);
      $("timeline-title").textContent = actor.name;
      $("timeline-sub").textContent = [actor.kind, `${actor.event_count} event${actor.event_count === 1 ? "" : "s"}`,
        actor.reviewed ? null : "not reviewed yet"].filter(Boolean).join(" · ");
    } catch (err) {
      state.timelineKey = null;
      timeline.reset(null, {});
      $("timeline-sub").textContent = err.status === 404 ? "No such actor." : `Could not load: ${err.message}`;
      return;
    }
  }
  const eventId = params.get("event");
  if (eventId && evidence.eventId !== eventId) {
    const event = timeline.get(eventId) || (await getJson(`/v1/events/${encodeURIComponent(eventId)}`)
      .then((r) => r.body).catch(() => null));
    const node = $("timeline").querySelector(`[data-event-id="${CSS.escape(eventId)}"] .event-card`);
    if (event) evidence.open(event, node);
  }
}

async function openCompare(params) {
  showView("compare");
  const slugs = compareSlugs(params);
  $("compare-title").textContent = slugs.length
    ? `Compare ${slugs.map((s) => state.actors.get(s)?.name || s).join(" · ")}` : "Compare actors";
  try {
    await compare.open(slugs, { from: params.get("from") || "", to: params.get("to") || "" },
      [...state.actors].map(([s, a]) => [s, a.name]));
  } catch (err) {
    $("compare").replaceChildren(el("p", { cls: "note", text: `Could not load: ${err.message}` }));
  }
}

async function openResponses(params) {
  showView("responses");
  const eventId = params.get("responses");
  const windowDays = Number(params.get("window")) || 30;
  if (features.responses === false) {
    $("responses").replaceChildren(el("p", { cls: "note",
      text: "This server does not offer the responses view yet (no /v1/events/{id}/responses)." }));
    return;
  }
  await renderResponses($("responses"), eventId, windowDays, {
    onOpen: (event, node) => evidence.open(event, node),
    onWindow: (days) => navigate(new URLSearchParams({ responses: eventId, window: String(days) })),
  });
}

async function route() {
  const params = parseHash();
  state.route = params;
  for (const li of $("actor-list").querySelectorAll("button.actor")) {
    const slug = li.dataset.slug;
    const on = params.has("compare") ? compareSlugs(params).includes(slug) : params.get("actor") === slug;
    li.classList.toggle("current", on);
    li.setAttribute("aria-pressed", String(on));
  }
  $("actors-hint").textContent = params.has("compare")
    ? "Click actors to add them to or remove them from the comparison." : "";
  if (params.has("compare")) return openCompare(params);
  if (params.has("responses")) return openResponses(params);
  if (params.has("actor")) {
    if (!params.has("event") && evidence.isOpen && document.body.dataset.view === "timeline") evidence.close();
    return openTimeline(params);
  }
  const first = [...state.actors.values()].find((a) => a.event_count > 0) || state.actors.values().next().value;
  if (first) navigate(new URLSearchParams({ actor: first.slug }), { replace: true });
}

// ---- live updates ---------------------------------------------------------------------

function markUpdated(added) {
  const now = new Date().toLocaleTimeString();
  if (added > 0) {
    state.newCount += added;
    const badge = $("live-new");
    badge.textContent = `${state.newCount} new · updated ${now}`;
    badge.hidden = false;
    badge.classList.remove("flash");
    void badge.offsetWidth; // restart the flash animation
    badge.classList.add("flash");
  }
}

function liveState(mode, error) {
  const live = $("live");
  live.dataset.mode = mode;
  $("live-text").textContent = mode === "error" ? "Offline, retrying"
    : `Live · checked ${new Date().toLocaleTimeString()}`;
  live.title = error || (mode === "changes" ? "Following the change feed" : "Polling the timeline with ETags");
}

const slugsOf = (change) => (change.actors || []).map((a) => (typeof a === "string" ? a : a.slug));

async function onChanges(batch) {
  const view = document.body.dataset.view;
  const watched = view === "compare" ? compare.slugs : [timeline.slug];
  const latest = new Map();
  for (const change of batch) {
    const slugs = slugsOf(change);
    const relevant = !change.actors || slugs.some((s) => watched.includes(s))
      || timeline.has(change.event_id) || compare.events.has(change.event_id);
    if (change.event_id && relevant) latest.set(change.event_id, change);
    for (const gone of [change.merged_into ? change.merged_from : null].flat()) {
      if (gone) { timeline.remove(gone); compare.remove(gone); }
    }
  }
  let added = 0;
  const fresh = new Set();
  for (const [id, change] of latest) {
    let event = null;
    if (!/remov|delet/.test(change.kind || "")) {
      event = await getJson(`/v1/events/${encodeURIComponent(id)}`).then((r) => r.body).catch(() => null);
    }
    if (!event) { timeline.remove(id); compare.remove(id); continue; }
    const wasShown = timeline.has(id) || compare.events.has(id);
    const shown = view === "compare" ? compare.upsert(event) : timeline.upsert(event);
    if (shown && !wasShown) { added += 1; fresh.add(id); }
    if (evidence.eventId === id) evidence.render(event);
  }
  if (view === "compare" && latest.size) compare.render(fresh);
  markUpdated(added);
  refreshActors();
}

async function onFallback() {
  if (document.body.dataset.view !== "timeline") return;
  const changed = await timeline.pollFirstPage();
  markUpdated(changed.filter((c) => c.isNew).length);
  if (changed.length) refreshActors();
}

// ---- keyboard ---------------------------------------------------------------------------

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") {
    if (evidence.isOpen) { evidence.close(); e.preventDefault(); return; }
    if (document.body.dataset.view === "responses") history.back();
    return;
  }
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName || "");
  if (e.key === "/" && !typing) { e.preventDefault(); $("actor-search").focus(); return; }
  const card = document.activeElement?.closest?.(".event-card");
  if (card && (e.key === "ArrowDown" || e.key === "ArrowUp" || e.key === "j" || e.key === "k")) {
    const cards = [...document.querySelectorAll("section:not([hidden]) .event-card")];
    const next = cards[cards.indexOf(card) + (e.key === "ArrowDown" || e.key === "j" ? 1 : -1)];
    if (next) { e.preventDefault(); next.focus(); }
  }
});

// ---- start ------------------------------------------------------------------------------

const [features, knowsVocabulary] = await Promise.all([detectFeatures(), loadVocabulary()]);
const openEvent = (event, node) => {
  const params = parseHash();
  if (params.has("actor") && !params.has("compare")) {
    params.set("event", event.id);
    history.replaceState(null, "", "#" + params.toString());
  }
  evidence.open(event, node);
};
const timeline = new TimelineView($("timeline"), {
  onOpen: openEvent, onStatus: status, moreButton: $("more"), sentinel: $("sentinel"),
  axisContainer: $("time-axis"), onBrush: setRange,
});
const compare = new CompareView($("compare"), {
  features, onOpen: (event, node) => evidence.open(event, node), axisContainer: $("compare-axis"),
  onBrush: setRange,
  onRemove: (slug) => navigate(new URLSearchParams({
    compare: compareSlugs(parseHash()).filter((s) => s !== slug).join(","),
  })),
});
const evidence = new EvidencePanel({
  features, aliases: (slug) => state.actors.get(slug)?.aliases || [],
  duplicates: (id) => timeline.axis.duplicates.get(id), onResponses: (event) => navigate(new URLSearchParams({ responses: event.id })),
});
const originalClose = evidence.close.bind(evidence);
evidence.close = () => {
  originalClose();
  const params = parseHash();
  if (params.has("event")) { params.delete("event"); history.replaceState(null, "", "#" + params.toString()); }
};

if (features.merged === false) $("tab-compare").title = "Compared client-side: the server has no merged timeline";
if (features.responses === false) $("responses-note").hidden = false;
$("actor-search").addEventListener("input", debounce(loadActors, 200));
$("tab-timeline").addEventListener("click", () => {
  const slug = compareSlugs(parseHash())[0] || timeline.slug || state.actors.keys().next().value;
  if (slug) navigate(new URLSearchParams({ actor: slug }));
});
$("tab-compare").addEventListener("click", () => {
  const params = parseHash();
  const slug = params.get("actor") || timeline.slug;
  navigate(new URLSearchParams({ compare: params.get("compare") || slug || "" }));
});
window.addEventListener("hashchange", route);

await loadActors();
await route();
if (!knowsVocabulary) status("The server's vocabulary could not be read: no type filter.");
new LiveFeed({ features, onChanges, onFallback, onState: liveState }).start();
