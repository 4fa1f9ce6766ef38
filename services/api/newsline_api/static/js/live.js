// Live updates: poll the change feed (a gap-free cursor) and hand each batch to the views.
// Without a change feed on the server, `fallback` re-reads the current view with its ETag.
import { getJson, HttpError } from "./api.js";

export const POLL_MS = 3000;

export class LiveFeed {
  constructor({ onChanges, onFallback, onState, features }) {
    Object.assign(this, { onChanges, onFallback, onState, features });
    this.cursor = null;
    this.mode = features.changes === false ? "etag" : "changes";
    this.timer = null;
  }

  async start() {
    if (this.mode === "changes") {
      try {
        await this.catchUp();
      } catch (err) {
        if (err instanceof HttpError && err.status === 404) this.mode = "etag";
        else this.onState("error", err.message);
      }
    }
    this.onState(this.mode, null);
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  /** Skip history: walk the feed to its end so only changes after page load count as new. */
  async catchUp() {
    for (let pages = 0; pages < 100; pages += 1) {
      const batch = await this.read();
      if (!batch.length) return;
    }
  }

  async read() {
    const query = this.cursor ? `?after=${encodeURIComponent(this.cursor)}&limit=500` : "?limit=500";
    const { body } = await getJson(`/v1/changes${query}`);
    const data = body.data || [];
    const last = data.length ? data[data.length - 1] : null;
    this.cursor = body.next_cursor || (last && (last.cursor || last.id)) || this.cursor;
    return data;
  }

  async tick() {
    if (document.hidden) { this.schedule(); return; }
    try {
      if (this.mode === "changes") {
        let batch;
        do {
          batch = await this.read();
          if (batch.length) await this.onChanges(batch);
        } while (batch.length >= 500);
      } else {
        await this.onFallback();
      }
      this.onState(this.mode, null);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404 && this.mode === "changes") {
        this.mode = "etag";
      }
      this.onState("error", err.message);
    }
    this.schedule();
  }
}
