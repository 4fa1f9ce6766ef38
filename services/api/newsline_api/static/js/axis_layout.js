// Where things sit in the time axis's drawing, in pixels (one definition for its modules).

export const PAD = 12;          // left and right of the drawn range
export const TICKS_H = 20;      // tick labels above the lanes
export const LANE_H = 34;       // one lane: its label line, the day track, the span track
export const MIN_VIEW_DAYS = 4; // the deepest zoom
// y offset and height inside a lane, by date precision: days on top, spans under them.
export const TRACK = { day: [13, 11], month: [26, 5], year: [27, 3] };
