// Talking to the Newsline API: JSON fetches with ETag support, and feature detection so
// the dashboard hides a view (with a note) when the server does not offer its endpoint.

export class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** GET a JSON document; a 304 comes back as { status: 304 } with no body. */
export async function getJson(url, { etag, signal } = {}) {
  const headers = etag ? { "If-None-Match": etag } : {};
  // no-store: the browser cache must not answer for us, or we would never see a 304.
  const resp = await fetch(url, { headers, cache: "no-store", signal });
  if (resp.status === 304) return { status: 304 };
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new HttpError(resp.status, body.message || `HTTP ${resp.status}`);
  return { status: resp.status, body, etag: resp.headers.get("ETag") };
}

const FEATURES = {
  changes: "/v1/changes",
  stream: "/v1/stream",
  merged: "/v1/timeline",
  responses: "/v1/events/{event_id}/responses",
  csv: "/v1/actors/{slug}/timeline.csv",
  json: "/v1/actors/{slug}/timeline.json",
  timelinejs: "/v1/actors/{slug}/timeline.timelinejs.json",
  ics: "/v1/actors/{slug}/timeline.ics",
};

/**
 * What this server offers, read from its OpenAPI document. Unknown (null) when the document
 * cannot be read: callers then try the endpoint and treat a 404 as "not offered".
 */
export async function detectFeatures() {
  const found = { known: false, timelineParams: new Set() };
  try {
    const { body } = await getJson("/openapi.json");
    const paths = body.paths || {};
    const normal = (p) => p.replace(/\{[^}]+\}/g, "{}");
    const offered = new Set(Object.keys(paths).map(normal));
    for (const [name, path] of Object.entries(FEATURES)) found[name] = offered.has(normal(path));
    const timeline = paths["/v1/actors/{slug}/timeline"]?.get?.parameters || [];
    for (const p of timeline) found.timelineParams.add(p.name);
    found.known = true;
  } catch {
    for (const name of Object.keys(FEATURES)) found[name] = null;
  }
  return found;
}

export function timelineUrl(slug, filters, { cursor, limit } = {}) {
  const params = filterParams(filters);
  if (cursor) params.set("cursor", cursor);
  if (limit) params.set("limit", String(limit));
  return `/v1/actors/${encodeURIComponent(slug)}/timeline?${params}`;
}

export function mergedUrl(slugs, filters, { cursor, limit } = {}) {
  const params = filterParams(filters);
  for (const slug of slugs) params.append("actor", slug);
  if (cursor) params.set("cursor", cursor);
  if (limit) params.set("limit", String(limit));
  return `/v1/timeline?${params}`;
}

export function exportUrl(slug, ext, filters) {
  const params = filterParams(filters);
  const query = params.toString();
  return `/v1/actors/${encodeURIComponent(slug)}/timeline.${ext}${query ? "?" + query : ""}`;
}

function filterParams(filters = {}) {
  const params = new URLSearchParams();
  if (filters.type) params.append("type", filters.type);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.language) params.set("language", filters.language);
  if (filters.min_confidence) params.set("min_confidence", filters.min_confidence);
  if (filters.include_units) params.set("include_units", "true");
  return params;
}

/** Whether an event passes the filters, for events that arrive through the change feed. */
export function matchesFilters(event, filters = {}) {
  if (filters.type && event.type !== filters.type) return false;
  if (filters.from && event.date < filters.from) return false;
  if (filters.to && event.date > filters.to) return false;
  const langs = event.languages || (event.sources || []).map((s) => s.language);
  if (filters.language && !langs.includes(filters.language)) {
    return false;
  }
  if (filters.min_confidence && event.confidence < Number(filters.min_confidence)) return false;
  return true;
}
