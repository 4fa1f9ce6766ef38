// The time axis: events at their dates on a real time scale, one lane per type (one actor)
// or per actor (compare), a day as a tick and a month or year as a bar over its whole span.
// Marks are drawn once, in day units under one scaling transform with strokes that do not
// scale; during a zoom or pan the compositor only stretches their layer, so 5,000 events
// move as smoothly as 50. The density strip under it covers the whole range; dragging
// across it sets the `from`/`to` filters. Pointer and keyboard handling: axis_controls.js.
import { AxisControls } from "./axis_controls.js";
import { LANE_H, MIN_VIEW_DAYS, PAD, TICKS_H, TRACK } from "./axis_layout.js";
import { AxisOverview } from "./axis_overview.js";
import { el, svg } from "./dom.js";
import { typeClass } from "./format.js";
import {
  basisKind, eventSpan, extent, firstAtOrAfter, isoDate, rangeLabel, timeTicks,
} from "./timescale.js";

export class TimeAxis extends AxisControls {
  constructor(container, { label, onBrush, onPick }) {
    super();
    Object.assign(this, { onBrush, onPick });
    this.lanes = [];
    this.items = [];            // every mark: { event, span, lane, kind }, lane by lane
    this.sorted = [];           // spans of all events by start, for counts
    this.full = extent([]);
    this.view = [...this.full];
    this.range = null;
    this.rangeIso = ["", ""];
    this.cursor = null;         // the item keyboard focus is on
    this.width = 600;
    this.base = 0;
    this.frame = 0;
    this.build(container, label);
  }

  build(container, label) {
    const button = (text, title, action) => el("button", { cls: "axis-btn", text,
      attrs: { type: "button", title, "aria-label": title }, on: { click: action } });
    this.caption = el("span", { cls: "axis-caption" });
    this.clearButton = button("Clear range", "Clear the date range", () => this.onBrush("", ""));
    this.clearButton.hidden = true;
    this.detail = svg("svg", { class: "axis-detail", tabindex: "0", role: "application",
      "aria-roledescription": "time axis", "aria-label": `${label}. Arrow keys step through `
        + "events, Enter opens one, + and − zoom, 0 fits, Shift+arrows pan." });
    this.grid = svg("g", { class: "grid" });
    this.shade = svg("g", { class: "shade" });
    this.marks = svg("g", { class: "marks" });
    this.labels = svg("g", { class: "lane-labels" });
    this.ring = svg("rect", { class: "cursor", visibility: "hidden" });
    this.marks.append(this.ring);
    // Marks live in a layer of their own: while a zoom or pan is under way the compositor
    // stretches that layer (no repaint of 5,000 shapes per frame); once it settles the marks
    // are redrawn at the new scale.
    this.layer = svg("svg", { class: "axis-marks", "aria-hidden": "true" });
    this.layer.append(this.marks);
    this.bands = svg("g", { class: "lane-bands" });
    this.detail.append(this.bands, this.grid, this.shade, this.labels);
    this.overview = new AxisOverview(this, { onBrush: (a, b) => this.onBrush(a, b) });
    this.live = el("p", { cls: "sr-only", attrs: { "aria-live": "polite" } });
    this.tip = el("div", { cls: "axis-tip", attrs: { hidden: true, role: "tooltip" } });
    this.root = el("div", { cls: "axis" },
      el("div", { cls: "axis-bar" }, this.caption,
        el("span", { cls: "axis-tools" },
          button("−", "Zoom out (−)", () => this.zoom(2)),
          button("+", "Zoom in (+)", () => this.zoom(0.5)),
          button("Fit", "Show the whole range (0)", () => this.fit()),
          button("Filter to view", "Set From and To to the range in view", () => this.brushView()),
          this.clearButton)),
      el("div", { cls: "axis-plot" }, this.detail, this.layer),
      this.overview.node, legend(), this.live, this.tip);
    container.replaceChildren(this.root);
    new ResizeObserver(() => this.resize()).observe(this.root);
    this.listen();
  }

  /** Draw these lanes: [{ key, label, events }], events in timeline order. */
  setLanes(lanes) {
    const keep = this.items.length > 0;
    this.lanes = lanes;
    this.items = [];
    lanes.forEach((lane, li) => {
      for (const event of lane.events) {
        const item = { event, span: eventSpan(event), lane: li, kind: basisKind(event.date_basis) };
        item.index = this.items.push(item) - 1;
      }
    });
    this.full = extent(this.items.map((it) => it.span));
    // Marks are placed relative to a day near the start: small numbers keep deep zooms exact.
    this.base = Math.floor(this.full[0]);
    const fragment = document.createDocumentFragment();
    for (const item of this.items) fragment.append(markNode(item, this.base));
    this.marks.replaceChildren(fragment, this.ring);
    // An event in two actors' lanes counts once.
    const seen = new Set();
    this.sorted = [];
    for (const it of this.items) {
      if (!seen.has(it.event.id)) { seen.add(it.event.id); this.sorted.push(it.span); }
    }
    this.sorted.sort((a, b) => a[0] - b[0]);
    this.range = this.rangeDays();
    // Until someone zooms or pans, the view follows the data as more of it arrives.
    if (!keep || !this.moved) this.view = this.range ? this.padded(this.range) : [...this.full];
    if (this.cursor) this.cursor = this.items.find((it) => it.event.id === this.cursor.event.id) || null;
    this.labels.replaceChildren(...lanes.map((lane, li) => {
      const text = svg("text", { x: PAD - 8, y: TICKS_H + li * LANE_H + 10, class: "lane-label" });
      text.textContent = `${lane.label} · ${lane.events.length.toLocaleString("en-US")}`;
      return text;
    }));
    // Every other lane shaded, so a bar on a lane's lower track reads as that lane's.
    this.bands.replaceChildren(...lanes.map((lane, li) => svg("rect", { x: 0, y: TICKS_H + li * LANE_H,
      width: "100%", height: LANE_H, class: li % 2 ? "lane-band odd" : "lane-band" })));
    const height = String(TICKS_H + Math.max(1, lanes.length) * LANE_H + 4);
    this.detail.setAttribute("height", height);
    this.layer.setAttribute("height", height);
    this.drawn = null;  // new shapes: draw them at the current scale on the next frame
    this.root.classList.toggle("empty", !this.items.length);
    this.overview.rebuild();
    this.setView(...this.view);
  }

  /** The filters' range ("" for open ends), shown on the strip; the view zooms to it. */
  setRange(from, to) {
    const changed = (from || "") !== this.rangeIso[0] || (to || "") !== this.rangeIso[1];
    this.rangeIso = [from || "", to || ""];
    this.range = this.rangeDays();
    this.clearButton.hidden = !this.range;
    if (changed && this.items.length) this.setView(...(this.range ? this.padded(this.range) : this.full));
    else this.requestDraw();
  }

  rangeDays() {
    const [from, to] = this.rangeIso;
    if (!from && !to) return null;
    return [from ? toDay(from) : this.full[0], to ? toDay(to) + 1 : this.full[1]];
  }

  /** Forget the drawn events (another actor): the next lanes are fitted afresh. */
  clear() {
    this.items = [];
    this.cursor = null;
    this.moved = false;
    this.setLanes([]);
  }

  padded([a, b]) { const w = Math.max(b - a, MIN_VIEW_DAYS); return [a - w * 0.04, a + w * 1.04]; }

  setView(v0, v1) {
    const fullW = this.full[1] - this.full[0];
    let w = Math.min(Math.max(v1 - v0, MIN_VIEW_DAYS), fullW * 4);
    let a = v0 + (v1 - v0 - w) / 2;
    const lo = this.full[0] - w * 0.5;
    const hi = this.full[1] + w * 0.5;
    if (a < lo) a = lo;
    if (a + w > hi) { a = Math.max(lo, hi - w); w = Math.min(w, hi - a); }
    this.view = [a, a + w];
    this.requestDraw();
  }

  zoom(factor, center = this.cursorDay() ?? (this.view[0] + this.view[1]) / 2) {
    this.moved = true;
    const [v0, v1] = this.view;
    const w = (v1 - v0) * factor;
    const t = (center - v0) / (v1 - v0);
    this.setView(center - w * t, center + w * (1 - t));
  }

  pan(days) { this.moved = true; this.setView(this.view[0] + days, this.view[1] + days); }

  fit() { this.setView(...this.full); }

  brushView() {
    const a = Math.max(this.view[0], this.full[0]);
    const b = Math.min(this.view[1], this.full[1]);
    this.onBrush(isoDate(a), isoDate(Math.max(a, b - 1)));
  }

  scale() { return (this.width - 2 * PAD) / (this.view[1] - this.view[0]); }

  x(day) { return PAD + (day - this.view[0]) * this.scale(); }

  dayAt(px) { return this.view[0] + (px - PAD) / this.scale(); }

  cursorDay() { return this.cursor ? (this.cursor.span[0] + this.cursor.span[1]) / 2 : null; }

  resize() {
    const width = this.detail.clientWidth || this.root.clientWidth;
    if (!width || width === this.width) return;
    this.width = width;
    this.overview.rebuild();
    this.requestDraw();
  }

  requestDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  /** Redraw the marks at the current scale and drop the layer's interim stretch. */
  commit() {
    clearTimeout(this.settle);
    const k = this.scale();
    this.marks.setAttribute("transform", `matrix(${k} 0 0 1 ${PAD - (this.view[0] - this.base) * k} 0)`);
    this.layer.style.transform = "";
    this.drawn = [...this.view];
  }

  /** Stretch the marks' layer from the view they were drawn at to the current one. */
  stretch() {
    const [d0, d1] = this.drawn;
    const s = (d1 - d0) / (this.view[1] - this.view[0]);
    const t = PAD - PAD * s + (d0 - this.view[0]) * this.scale();
    this.layer.style.transform = `translate(${t}px, 0) scale(${s}, 1)`;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.commit(), 140);
  }

  draw() {
    const [v0, v1] = this.view;
    if (!this.drawn || this.drawnWidth !== this.width) { this.drawnWidth = this.width; this.commit(); }
    else if (this.drawn[0] !== v0 || this.drawn[1] !== v1) this.stretch();
    const height = TICKS_H + Math.max(1, this.lanes.length) * LANE_H;
    const { ticks } = timeTicks(v0, v1, this.width - 2 * PAD);
    this.grid.replaceChildren(...ticks.flatMap((t) => {
      const x = this.x(t.day).toFixed(1);
      const label = svg("text", { x, y: 12, class: t.major ? "tick major" : "tick" });
      label.textContent = t.label;
      return [svg("line", { x1: x, x2: x, y1: 15, y2: height, class: t.major ? "gridline major" : "gridline" }), label];
    }));
    const shades = [];
    if (this.range) {
      const [a, b] = this.range.map((d) => this.x(d));
      if (a > 0) shades.push(svg("rect", { x: 0, y: TICKS_H, width: Math.max(0, a), height }));
      if (b < this.width) shades.push(svg("rect", { x: b, y: TICKS_H, width: Math.max(0, this.width - b), height }));
    }
    this.shade.replaceChildren(...shades);
    const shown = firstAtOrAfter(this.sorted, v1) - firstAtOrAfter(this.sorted, v0);
    this.caption.textContent = `${rangeLabel(v0, v1)} · ${shown.toLocaleString("en-US")} of `
      + `${this.sorted.length.toLocaleString("en-US")} events in view`;
    this.drawRing();
    this.overview.draw();
  }

  drawRing() {
    const it = this.cursor;
    this.ring.setAttribute("visibility", it ? "visible" : "hidden");
    if (!it) return;
    const [y, h] = TRACK[it.event.date_precision] || TRACK.day;
    Object.entries({ x: it.span[0] - this.base, width: it.span[1] - it.span[0], y: TICKS_H + it.lane * LANE_H + y - 3,
      height: h + 6 }).forEach(([k, v]) => this.ring.setAttribute(k, String(v)));
  }
}

function toDay(iso) { return eventSpan({ date: iso, date_precision: "day" })[0]; }

function markNode(item, base) {
  const { event, span, lane, kind } = item;
  const precision = TRACK[event.date_precision] ? event.date_precision : "day";
  const [y, h] = TRACK[precision];
  return svg("rect", {
    class: `mk t-${typeClass(event.type)} p-${precision} b-${kind}`,
    x: span[0] - base, width: span[1] - span[0], y: TICKS_H + lane * LANE_H + y, height: h,
    "data-event-id": event.id, "data-i": item.index, "data-date": isoDate(span[0]),
  });
}

function legend() {
  const swatch = (cls, text) => el("span", { cls: "lg" }, el("span", { cls: `lg-mark ${cls}`,
    attrs: { "aria-hidden": "true" } }), text);
  return el("p", { cls: "axis-legend" },
    swatch("lg-day", "day"), swatch("lg-span", "month or year: a bar over its span"),
    swatch("lg-reported", "reported (no date in the sentence)"),
    swatch("lg-inferred", "inferred date"), swatch("lg-received", "undated: day received"),
    el("span", { cls: "muted", text: "Drag the strip to filter by date; wheel, pinch or + − zoom; "
      + "drag to pan; arrow keys and Enter in the axis." }));
}
