/**
 * Bin collections and fill dynamics from a stored fill series (the experiments' KPIs). What counts
 * as a collection, and why, is in fill-thresholds.ts, shared with the live indicators and alerts.
 */
import {
  COLLECTION_MIN_DROP,
  OVERFLOW_FILL,
  SATURATED_FILL,
  watchFill,
  type Collection,
  type CollectionWatch,
} from './fill-thresholds.js';

export type { Collection };
export interface FillPoint {
  t: number;
  fill: number;
}

/**
 * A bin's fill readings as two columns, for the code that runs over every reading of hundreds of
 * bins (collections, the round replay): an object per reading, with its two numbers boxed, was most
 * of the garbage collection of a cold smart-collection analysis (profiled).
 */
export interface FillColumns {
  readonly t: Float64Array;
  readonly fill: Float64Array;
}

export function fillColumns(points: readonly FillPoint[]): FillColumns {
  const t = new Float64Array(points.length);
  const fill = new Float64Array(points.length);
  points.forEach((p, i) => {
    t[i] = p.t;
    fill[i] = p.fill;
  });
  return { t, fill };
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
  collectionDrop: COLLECTION_MIN_DROP,
  wastedTripFill: 0.5,
  overflowFill: OVERFLOW_FILL,
};

export function detectCollections(series: FillColumns, minDrop: number): Collection[] {
  const watch: CollectionWatch = { lastFill: Number.NaN, pendingBefore: Number.NaN };
  const out: Collection[] = [];
  const { t, fill } = series;
  for (let i = 0; i < t.length; i++) {
    const fillBefore = watch.pendingBefore;
    if (watchFill(watch, fill[i] as number, minDrop) && i > 0)
      out.push({ at: t[i - 1] as number, fillBefore, fillAfter: fill[i - 1] as number });
  }
  // A drop at the very end: no reading left to refute it.
  const last = t.length - 1;
  if (last >= 0 && !Number.isNaN(watch.pendingBefore))
    out.push({ at: t[last] as number, fillBefore: watch.pendingBefore, fillAfter: fill[last] as number });
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
    if (a.fill >= SATURATED_FILL || b.fill >= SATURATED_FILL) continue;
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
