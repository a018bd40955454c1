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
 * Overflowing: a reading at or above this, i.e. the sensor reads full. Fills are clamped to 1, so a
 * bin over the top reads 1 unless its noise (about one point) pulls it down: a bin 3 points over
 * reads full 99 times in 100, and a bin-day with any such reading is seen. A lower line counted bins
 * that were merely nearly full: under fill-triggered collection bins often wait at 95–99 % for the
 * next round, and at 0.95 the overflow bin-days of the smart-collection experiment read 0.19 where
 * 0.08 of them overflowed (an acceptance run against the simulators' truth). "Full soon" and "due for
 * collection" are their own rules (`fill_high`, FULL_FILL). The live count, the `overflow` alert's
 * default and the overflow bin-day KPI all use it.
 */
export const OVERFLOW_FILL = 0.995;

/**
 * Near the top the sensor's noise is cut off by the clamp at 1, so rises there read too small: fill
 * rates leave out readings at or above this, four noise widths below full.
 */
export const SATURATED_FILL = 0.95;

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
