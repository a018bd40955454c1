/**
 * Bin collections and fill dynamics from the fill series alone. A truck
 * empties a bin in minutes, so a collection shows as one large drop between
 * consecutive readings; sensor noise is about one percentage point, so a drop
 * of more than 30 points (configurable) is unambiguous. A bin collected while
 * nearly empty drops less than that and is not seen — a limit of sensor-only
 * detection, reported with the KPIs.
 */
export interface FillPoint {
  t: number;
  fill: number;
}

export interface Collection {
  /** Time of the first reading after the drop. */
  at: number;
  fillBefore: number;
  fillAfter: number;
}

export interface WasteOptions {
  /** Smallest drop between consecutive readings read as a collection (fraction). */
  collectionDrop: number;
  /** A collection below this fill is a wasted trip. */
  wastedTripFill: number;
  /** A bin-day with any reading at or above this fill is an overflow bin-day. */
  overflowFill: number;
}

export const DEFAULT_WASTE_OPTIONS: WasteOptions = {
  collectionDrop: 0.3,
  wastedTripFill: 0.5,
  overflowFill: 0.95,
};

export function detectCollections(series: readonly FillPoint[], minDrop: number): Collection[] {
  const out: Collection[] = [];
  for (let i = 1; i < series.length; i++) {
    const before = series[i - 1] as FillPoint;
    const after = series[i] as FillPoint;
    if (before.fill - after.fill > minDrop)
      out.push({ at: after.t, fillBefore: before.fill, fillAfter: after.fill });
  }
  return out;
}

/**
 * Mean fill rate, fraction per day: rise over time between collections,
 * pooled over segments, using only readings below the overflow level (a full
 * bin's sensor saturates and would understate the rate).
 */
export function fillRatePerDay(
  series: readonly FillPoint[],
  options: WasteOptions = DEFAULT_WASTE_OPTIONS,
): number | null {
  let rise = 0;
  let ms = 0;
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1] as FillPoint;
    const b = series[i] as FillPoint;
    if (a.fill - b.fill > options.collectionDrop) continue; // a collection
    if (a.fill >= options.overflowFill || b.fill >= options.overflowFill) continue;
    if (b.t - a.t > 6 * 3_600_000) continue; // across a gap
    rise += b.fill - a.fill;
    ms += b.t - a.t;
  }
  return ms > 0 ? rise / (ms / 86_400_000) : null;
}

/** Days until the bin is full at its mean rate; 0 when already full, null without a rate. */
export function timeToFullDays(currentFill: number, ratePerDay: number | null): number | null {
  if (ratePerDay === null || ratePerDay <= 0) return null;
  return Math.max(0, (1 - currentFill) / ratePerDay);
}
