// Who answered a block or policy, how fast, and with what.
import { getJson } from "./api.js";
import { dateLabel, eventCard, quantityChip, typeBadge } from "./cards.js";
import { el, fill } from "./dom.js";
import { formatDate } from "./format.js";

const HOW = { shared_article: "reported together", names_subject: "names the blocker" };

export async function renderResponses(container, eventId, windowDays, { onOpen, onWindow }) {
  const url = `/v1/events/${encodeURIComponent(eventId)}/responses?window_days=${windowDays}`;
  let body;
  try {
    ({ body } = await getJson(url));
  } catch (err) {
    const text = err.status === 404 && !/event/i.test(err.message)
      ? "This server does not offer the responses view yet (GET /v1/events/{id}/responses answered 404)."
      : `No responses to show: ${err.message}`;
    fill(container, el("p", { cls: "note", text }));
    return null;
  }
  const cause = body.trigger || body.event;
  const items = (body.data || []).map((item) => ({
    event: item.event || item, delay: item.delay_days ?? null, how: HOW[item.matched_by] || null,
  }));
  const windowPicker = el("label", { cls: "window" }, "Window",
    el("select", { attrs: { "aria-label": "Response window in days" },
      on: { change: (e) => onWindow(Number(e.target.value)) } },
    ...[7, 30, 90, 365].map((d) => el("option", { text: `${d} days`,
      attrs: { value: d, selected: d === windowDays } }))),
    body.anchor_date ? el("span", { text: `counted from ${formatDate(body.anchor_date)}` }) : null);
  const causeCard = cause ? eventCard(cause, { compact: true }) : null;
  causeCard?.addEventListener("click", () => onOpen(cause, causeCard));
  const maxDelay = Math.max(1, ...items.map((i) => i.delay || 0));
  const rows = items.map(({ event, delay, how }) => {
    const subjects = event.actors.filter((a) => a.role === "subject");
    const who = (subjects.length ? subjects : event.actors).map((a) => a.name).join(", ");
    const bar = el("span", { cls: "delay-bar" });
    bar.style.width = `${Math.max(4, (100 * Math.max(0, delay || 0)) / maxDelay)}%`;
    const row = el("tr", { attrs: { tabindex: "0" } },
      el("th", { attrs: { scope: "row" } }, el("span", { text: who }),
        how ? el("span", { cls: "outlet how", text: how }) : null),
      el("td", { cls: "delay" }, el("span", { text: delay === null ? "?"
        : delay === 0 ? "same day" : `${delay > 0 ? "+" : ""}${delay} d` }), bar),
      el("td", {}, typeBadge(event.type)),
      el("td", {}, el("span", { cls: "summary", text: event.summary }), " ", quantityChip(event.quantity),
        event.product ? el("span", { cls: "product", text: event.product }) : null),
      el("td", {}, dateLabel(event)));
    row.addEventListener("click", () => onOpen(event, row));
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") onOpen(event, row); });
    return row;
  });
  fill(container,
    el("div", { cls: "responses-head" }, el("p", { cls: "muted", text: "Responses to" }), causeCard),
    windowPicker,
    items.length
      ? el("div", { cls: "table-scroll" }, el("table", { cls: "responses" },
        el("thead", {}, el("tr", {}, ...["Who", "How fast", "Type", "What", "When"].map((t) =>
          el("th", { text: t, attrs: { scope: "col" } })))),
        el("tbody", {}, ...rows)))
      : el("p", { cls: "note", text: `No other actor responded within ${windowDays} days.` }));
  return cause;
}
