// How a person drives the time axis: pointer (drag to pan, wheel or pinch to zoom, tap a
// mark to open it), keyboard (arrows step through events, Enter opens, + − 0 zoom) and the
// tooltip. A base class of TimeAxis, which owns the drawing and the state these move.
import { formatDate, typeLabel } from "./format.js";
import { LANE_H, TICKS_H } from "./axis_layout.js";

export class AxisControls {
  /** The mark nearest to pixel (px, py), within 14 px, in the lane under the pointer. */
  nearest(px, py) {
    const lane = Math.floor((py - TICKS_H) / LANE_H);
    const day = this.dayAt(px);
    const slack = 14 / this.scale();
    let best = null;
    let bestD = Infinity;
    for (const it of this.items) {
      if (it.lane !== lane || it.span[0] > day + slack || it.span[1] < day - slack) continue;
      const d = day < it.span[0] ? it.span[0] - day : day > it.span[1] ? day - it.span[1] : 0;
      if (d < bestD) { best = it; bestD = d; }
    }
    return best;
  }

  focusItem(it, { open = false } = {}) {
    if (!it) return;
    this.cursor = it;
    const mid = this.cursorDay();
    const [v0, v1] = this.view;
    if (mid < v0 || mid > v1) this.pan(mid - (v0 + v1) / 2);
    this.requestDraw();
    const e = it.event;
    this.live.textContent = `${formatDate(e.date, e.date_precision)}, ${typeLabel(e.type)}: ${e.summary}`
      + (it.kind === "received" ? " (undated)" : it.kind === "inferred" ? " (date inferred)" : "");
    if (open) this.onPick(e);
  }

  step(dir) {
    const lane = this.cursor ? this.cursor.lane : 0;
    const inLane = this.items.filter((it) => it.lane === lane);
    if (!inLane.length) return;
    if (!this.cursor) {
      const start = inLane.findIndex((it) => it.span[1] >= this.view[0]);
      this.focusItem(inLane[Math.max(0, start)]);
      return;
    }
    const at = inLane.indexOf(this.cursor);
    this.focusItem(inLane[Math.min(inLane.length - 1, Math.max(0, at + dir))]);
  }

  switchLane(dir) {
    const lane = (this.cursor ? this.cursor.lane : 0) + dir;
    const day = this.cursorDay() ?? this.view[0];
    const inLane = this.items.filter((it) => it.lane === lane);
    if (!inLane.length) return;
    inLane.sort((a, b) => Math.abs(a.span[0] - day) - Math.abs(b.span[0] - day));
    this.focusItem(inLane[0]);
  }

  listen() {
    const d = this.detail;
    d.addEventListener("wheel", (e) => {
      e.preventDefault();
      const box = d.getBoundingClientRect();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.pan(e.deltaX / this.scale());
      else this.zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002))), this.dayAt(e.clientX - box.left));
    }, { passive: false });
    const pointers = new Map();
    let moved = 0;
    d.addEventListener("pointerdown", (e) => {
      pointers.set(e.pointerId, e.clientX);
      moved = 0;
      d.setPointerCapture(e.pointerId);
    });
    d.addEventListener("pointermove", (e) => {
      if (!pointers.has(e.pointerId)) { this.hover(e); return; }
      const box = d.getBoundingClientRect();
      if (pointers.size === 2) {  // pinch: the gap between the two fingers sets the zoom
        const other = [...pointers].find(([id]) => id !== e.pointerId)[1];
        const before = Math.abs(pointers.get(e.pointerId) - other);
        const after = Math.abs(e.clientX - other);
        if (before > 10 && after > 10) this.zoom(before / after, this.dayAt((e.clientX + other) / 2 - box.left));
        moved += 10;
      } else {
        const dx = e.clientX - pointers.get(e.pointerId);
        moved += Math.abs(dx);
        if (moved > 3) this.pan(-dx / this.scale());
      }
      pointers.set(e.pointerId, e.clientX);
    });
    const end = (e) => {
      if (!pointers.delete(e.pointerId)) return;
      if (moved <= 3 && e.type === "pointerup") {
        const box = d.getBoundingClientRect();
        const it = this.nearest(e.clientX - box.left, e.clientY - box.top);
        if (it) this.focusItem(it, { open: true });
      }
    };
    d.addEventListener("pointerup", end);
    d.addEventListener("pointercancel", end);
    d.addEventListener("pointerleave", () => { this.tip.hidden = true; });
    d.addEventListener("keydown", (e) => this.key(e));
  }

  hover(e) {
    const box = this.detail.getBoundingClientRect();
    const it = this.nearest(e.clientX - box.left, e.clientY - box.top);
    this.tip.hidden = !it;
    if (!it) return;
    const ev = it.event;
    this.tip.textContent = `${formatDate(ev.date, ev.date_precision)} · ${typeLabel(ev.type)}`
      + `${it.kind === "received" ? " · undated" : it.kind === "inferred" ? " · date inferred" : ""}`
      + ` — ${ev.summary}`;
    const root = this.root.getBoundingClientRect();
    const left = Math.min(Math.max(0, e.clientX - root.left + 10), Math.max(0, root.width - 270));
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${e.clientY - root.top + 16}px`;
  }

  key(e) {
    const page = (this.view[1] - this.view[0]) * 0.25;
    const actions = {
      ArrowRight: () => (e.shiftKey ? this.pan(page) : this.step(1)),
      ArrowLeft: () => (e.shiftKey ? this.pan(-page) : this.step(-1)),
      ArrowDown: () => this.switchLane(1),
      ArrowUp: () => this.switchLane(-1),
      Home: () => this.focusItem(this.items.filter((it) => it.lane === (this.cursor?.lane || 0))[0]),
      End: () => this.focusItem(this.items.filter((it) => it.lane === (this.cursor?.lane || 0)).at(-1)),
      Enter: () => this.cursor && this.onPick(this.cursor.event),
      " ": () => this.cursor && this.onPick(this.cursor.event),
      "+": () => this.zoom(0.5), "=": () => this.zoom(0.5),
      "-": () => this.zoom(2), _: () => this.zoom(2), "0": () => this.fit(),
    };
    const action = actions[e.key];
    if (!action || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  }
}
