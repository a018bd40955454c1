/** A bin's rolling state for the live indicators: its last collection, from an event or its fill. Fed only by the reading stream. */
import { FULL_FILL, watchFill, type CollectionWatch } from './fill-thresholds.js';

/** A bin: its last collection, from an event or from its fill (fill-thresholds.ts says what a collection looks like). */
export interface WasteState extends CollectionWatch {
  lastFillTs: number;
  lastCollection: number | null;
}

export function newWaste(): WasteState {
  return { lastFill: Number.NaN, pendingBefore: Number.NaN, lastFillTs: 0, lastCollection: null };
}

export function wasteReading(state: WasteState, ts: number, fill: number | undefined): void {
  // A re-delivered reading (same time) must not confirm its own drop.
  if (fill === undefined || ts <= state.lastFillTs) return;
  // Confirmed: the bin was emptied at the previous reading, the first one after the drop.
  if (watchFill(state, fill)) state.lastCollection = Math.max(state.lastCollection ?? 0, state.lastFillTs);
  state.lastFillTs = ts;
}

export function isFull(fill: number): boolean {
  return fill >= FULL_FILL;
}
