/**
 * Bin collections and fill dynamics from the fill series alone. A truck
 * empties a bin in minutes, so a collection shows as one large drop between
 * consecutive readings. Sensor noise is about one percentage point (the
 * difference of two readings about 1.7 points), so a drop of more than 10
 * points is a 6-sigma event, and the rule also asks the next reading to stay
 * down, so a single low glitch is not a collection. A 30-point rule (the first
 * version) missed every collection of a bin less than a third full: exactly the
 * wasted trips the smart-collection experiment is about, which biased the
 * wasted-trip share and the fill at collection of the fixed round. A bin
 * collected while under 12 % full is still not seen: a limit of sensor-only
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
  collectionDrop: 0.1,
  wastedTripFill: 0.5,
  overflowFill: 0.95,
};

export function detectCollections(series: readonly FillPoint[], minDrop: number): Collection[] {
  const out: Collection[] = [];
  for (let i = 1; i < series.length; i++) {
    const before = series[i - 1] as FillPoint;
    const after = series[i] as FillPoint;
    const next = series[i + 1];
    if (before.fill - after.fill <= minDrop) continue;
    if (next && before.fill - next.fill <= minDrop) continue; // back up at once: a glitch
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
  return fillRateOf(fillRateParts(series, options));
}

/** The pooled rise and time of fillRatePerDay, which add up over consecutive stretches of a series. */
export interface FillRateParts {
  rise: number;
  ms: number;
}

export function fillRateParts(
  series: readonly FillPoint[],
  options: WasteOptions = DEFAULT_WASTE_OPTIONS,
): FillRateParts {
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
  return { rise, ms };
}

export function fillRateOf(parts: FillRateParts): number | null {
  return parts.ms > 0 ? parts.rise / (parts.ms / 86_400_000) : null;
}

/** Days until the bin is full at its mean rate; 0 when already full, null without a rate. */
export function timeToFullDays(currentFill: number, ratePerDay: number | null): number | null {
  if (ratePerDay === null || ratePerDay <= 0) return null;
  return Math.max(0, (1 - currentFill) / ratePerDay);
}
