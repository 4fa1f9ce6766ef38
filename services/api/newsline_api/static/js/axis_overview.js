// The strip under the time axis: how many events each slice of the whole range holds, the
// part the axis shows, and the filters' range. Dragging across it sets `from`/`to`; a tap
// moves the axis there.
import { PAD } from "./axis_layout.js";
import { svg } from "./dom.js";
import { histogram, isoDate, timeTicks } from "./timescale.js";
const H = 48;
const BARS_H = 32;

export class AxisOverview {
  constructor(axis, { onBrush }) {
    Object.assign(this, { axis, onBrush });
    this.drag = null;
    this.node = svg("svg", { class: "axis-overview", height: H, role: "img",
      "aria-label": "How many events each part of the whole range holds. Drag across it to "
        + "set the From and To filters." });
    this.bars = svg("path", { class: "density" });
    this.ticks = svg("g", { class: "ov-ticks" });
    this.viewport = svg("rect", { class: "viewport", y: 1, height: BARS_H });
    this.brush = svg("rect", { class: "brush", y: 0, height: BARS_H + 2, visibility: "hidden" });
    this.peak = svg("text", { class: "peak", x: this.axis.width - PAD, y: 9 });
    this.node.append(this.bars, this.ticks, this.viewport, this.brush, this.peak);
    this.listen();
  }

  ox(day) {
    const [f0, f1] = this.axis.full;
    return PAD + ((day - f0) * (this.axis.width - 2 * PAD)) / (f1 - f0);
  }

  dayAt(px) {
    const [f0, f1] = this.axis.full;
    return f0 + ((px - PAD) * (f1 - f0)) / (this.axis.width - 2 * PAD);
  }

  /** Re-bin the whole range (after new data or a resize). */
  rebuild() {
    const { width, full, sorted } = this.axis;
    const inner = width - 2 * PAD;
    const bins = Math.max(10, Math.floor(inner / 3));
    const counts = histogram(sorted, full[0], full[1], bins);
    const peak = Math.max(1, ...counts);
    const bw = inner / bins;
    let path = "";
    counts.forEach((n, i) => {
      if (!n) return;
      const h = Math.max(2, (BARS_H - 2) * Math.sqrt(n / peak));
      path += `M${(PAD + i * bw).toFixed(1)} ${BARS_H}v${(-h).toFixed(1)}h${Math.max(1, bw - 0.6).toFixed(1)}v${h.toFixed(1)}z`;
    });
    this.bars.setAttribute("d", path);
    this.peak.setAttribute("x", String(width - PAD));
    this.peak.textContent = sorted.length ? `busiest ${peak.toLocaleString("en-US")} per ${binWords(full, bins)}` : "";
    const { ticks } = timeTicks(full[0], full[1], inner, 64);
    this.ticks.replaceChildren(...ticks.map((t) => {
      const text = svg("text", { x: this.ox(t.day).toFixed(1), y: H - 3, class: "tick" });
      text.textContent = t.label;
      return text;
    }));
    this.node.setAttribute("width", String(width));
  }

  draw() {
    const { view, range, width } = this.axis;
    const clip = (x) => Math.min(width, Math.max(0, x));
    const a = clip(this.ox(view[0]));
    const b = clip(this.ox(view[1]));
    this.viewport.setAttribute("x", a.toFixed(1));
    this.viewport.setAttribute("width", Math.max(2, b - a).toFixed(1));
    const shown = this.drag || range;
    this.brush.setAttribute("visibility", shown ? "visible" : "hidden");
    if (shown) {
      const [s, e] = shown.map((d) => clip(this.ox(d)));
      this.brush.setAttribute("x", Math.min(s, e).toFixed(1));
      this.brush.setAttribute("width", Math.max(2, Math.abs(e - s)).toFixed(1));
    }
  }

  listen() {
    let start = null;
    const px = (e) => e.clientX - this.node.getBoundingClientRect().left;
    this.node.addEventListener("pointerdown", (e) => {
      start = px(e);
      this.node.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    this.node.addEventListener("pointermove", (e) => {
      if (start === null) return;
      const now = px(e);
      if (Math.abs(now - start) < 4) return;
      this.drag = [this.dayAt(Math.min(start, now)), this.dayAt(Math.max(start, now))];
      this.draw();
    });
    const end = (e) => {
      if (start === null) return;
      const drag = this.drag;
      const at = px(e);
      start = null;
      this.drag = null;
      if (e.type !== "pointerup") { this.draw(); return; }
      if (drag) {
        const [f0, f1] = this.axis.full;
        const a = Math.max(drag[0], f0);
        const b = Math.min(drag[1], f1);
        this.onBrush(isoDate(a), isoDate(Math.max(a, b)));
      } else {
        const w = this.axis.view[1] - this.axis.view[0];
        const day = this.dayAt(at);
        this.axis.setView(day - w / 2, day + w / 2);
      }
    };
    this.node.addEventListener("pointerup", end);
    this.node.addEventListener("pointercancel", end);
  }
}

function binWords([f0, f1], bins) {
  const days = (f1 - f0) / bins;
  if (days < 1.5) return "day";
  if (days < 10) return `${Math.round(days)} days`;
  if (days < 45) return `${Math.round(days / 7)} weeks`;
  return `${Math.round(days / 30.4)} months`;
}
