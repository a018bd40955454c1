/**
 * What a bin's fill means, in one place for the live indicators, the alert rules, the collection
 * plan and the experiments' KPIs (so that the dashboard, the alerts and the evidence count the same
 * collections and the same overflowing bins). Pure constants and functions: the dashboard may
 * bundle this file.
 *
 * Collections. A truck empties a bin in minutes, so a collection shows as one large drop between
 * consecutive readings. Sensor noise is about one fill point (the difference of two readings about
 * 1.7 points), so a drop of more than 10 points is a 6-sigma event; the next reading must stay down
 * too, so one low glitch is not a collection. The first rule, a 30-point drop at once, missed every
 * collection of a bin less than a third full: exactly the wasted trips the smart-collection
 * experiment counts (it biased the wasted-trip share and the fill at collection of the fixed round),
 * and live it left such a bin's "last collected" stale and its fill trend mixing the fill before
 * and after. A bin collected while under 12 % full is still not seen: a limit of sensor-only
 * detection, reported with the KPIs. The price of the confirmation is one reading: live, a
 * collection is known when the reading after it arrives.
 */

/** Due for collection: the dashboard counts bins at or above this (the `fill_high` alert clears below it). */
export const FULL_FILL = 0.8;

/**
 * Overflowing: a reading at or above this. A full bin's sensor reads 1 less its noise (about one
 * point; fills are clamped to 1), so a higher limit such as 0.995 misses about a third of the
 * readings of a bin that is full to the lid and makes the live count flicker; at 0.95, four noise
 * widths below full, every reading of a full bin counts, and a bin at 95 % has no room for another
 * bag. The live count, the `overflow` alert's default and the overflow bin-day KPI all use it.
 */
export const OVERFLOW_FILL = 0.95;

/** Smallest drop between consecutive readings that, confirmed by the next reading, is a collection. */
export const COLLECTION_MIN_DROP = 0.1;

export interface Collection {
  /** Time of the first reading after the drop. */
  at: number;
  fillBefore: number;
  fillAfter: number;
}

/** A drop from `before` to `fill` large enough to be a collection (NaN compares false: no reading yet). */
export function isCollectionDrop(before: number, fill: number, minDrop = COLLECTION_MIN_DROP): boolean {
  return before - fill > minDrop;
}

/**
 * A bin's fill stream read one reading at a time, in time order: the last fill, and the fill before
 * a drop to it that waits for the next reading (NaN: none). Two plain numbers, so that the live
 * state of 50,000 bins carries no extra object per bin.
 */
export interface CollectionWatch {
  lastFill: number;
  pendingBefore: number;
}

/**
 * Takes the next reading. True when it confirms the drop to the previous reading: the bin was
 * collected at the previous reading's time, from `pendingBefore` (read it before the call).
 */
export function watchFill(watch: CollectionWatch, fill: number, minDrop = COLLECTION_MIN_DROP): boolean {
  const confirmed = isCollectionDrop(watch.pendingBefore, fill, minDrop);
  watch.pendingBefore = isCollectionDrop(watch.lastFill, fill, minDrop) ? watch.lastFill : Number.NaN;
  watch.lastFill = fill;
  return confirmed;
}
