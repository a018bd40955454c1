/**
 * Mobility counts: interval counts by class and direction → hourly and daily
 * totals, average daily traffic, modal split and peak hour factor. A missing
 * interval is missing, never zero: every total carries its coverage, and
 * callers decide which coverage is enough.
 */
import type { TravelClass } from '../../contract/index.js';
import { nextDate, type LocalCalendar } from '../../calendar/city-calendar.js';

export interface IntervalCount {
  /** Interval end, epoch ms (the payload `ts`). */
  end: number;
  intervalMs: number;
  /** Count per `{class}_{in|out}` metric present in the reading. */
  counts: Record<string, number>;
}

export interface PeriodCounts {
  /** Sum per `{class}_{dir}` over the intervals present. */
  counts: Record<string, number>;
  intervals: number;
  /** Intervals present / intervals in the period. */
  coverage: number;
}

function bucketBy(
  intervals: readonly IntervalCount[],
  key: (mid: number) => string,
  expected: (k: string, intervalMs: number) => number,
) {
  const out = new Map<string, PeriodCounts>();
  for (const iv of intervals) {
    const k = key(iv.end - iv.intervalMs / 2);
    const entry = out.get(k) ?? { counts: {}, intervals: 0, coverage: 0 };
    for (const [metric, n] of Object.entries(iv.counts))
      entry.counts[metric] = (entry.counts[metric] ?? 0) + n;
    entry.intervals += 1;
    entry.coverage = entry.intervals / expected(k, iv.intervalMs);
    out.set(k, entry);
  }
  return out;
}

/** Per local date. */
export function dailyCounts(
  intervals: readonly IntervalCount[],
  calendar: LocalCalendar,
): Map<string, PeriodCounts> {
  return bucketBy(
    intervals,
    (mid) => calendar.dateOf(mid),
    (date, ms) => (calendar.startOf(nextDate(date)) - calendar.startOf(date)) / ms,
  );
}

/** Per local date and hour, keyed `YYYY-MM-DD HH`. */
export function hourlyCounts(
  intervals: readonly IntervalCount[],
  calendar: LocalCalendar,
): Map<string, PeriodCounts> {
  return bucketBy(
    intervals,
    (mid) => `${calendar.dateOf(mid)} ${String(Math.floor(calendar.hourOf(mid))).padStart(2, '0')}`,
    (_k, ms) => 3_600_000 / ms,
  );
}

/** Total of some classes (both directions unless one is given). */
export function total(p: PeriodCounts, classes: readonly TravelClass[], direction?: 'in' | 'out'): number {
  let sum = 0;
  for (const cls of classes) {
    for (const dir of direction ? [direction] : (['in', 'out'] as const))
      sum += p.counts[`${cls}_${dir}`] ?? 0;
  }
  return sum;
}

/** Average daily traffic: mean total over days with at least `minCoverage`; null without any such day. */
export function averageDailyTraffic(
  days: Iterable<PeriodCounts>,
  classes: readonly TravelClass[],
  minCoverage = 1,
): number | null {
  const totals = [...days].filter((d) => d.coverage >= minCoverage).map((d) => total(d, classes));
  return totals.length > 0 ? totals.reduce((s, v) => s + v, 0) / totals.length : null;
}

/** Share of each class in the total over the given periods. */
export function modalSplit(
  periods: Iterable<PeriodCounts>,
  classes: readonly TravelClass[],
): Record<string, number> {
  const sums: Record<string, number> = {};
  let all = 0;
  for (const p of periods) {
    for (const cls of classes) {
      const n = total(p, [cls]);
      sums[cls] = (sums[cls] ?? 0) + n;
      all += n;
    }
  }
  return Object.fromEntries(classes.map((cls) => [cls, all > 0 ? (sums[cls] ?? 0) / all : 0]));
}

/**
 * Peak hour factor of one day (HCM): the busiest complete hour's volume over
 * four times its busiest 15-minute volume. 1 = perfectly even flow in the
 * peak hour, 0.25 = all of it in one quarter hour. Null without a complete hour.
 */
export function peakHourFactor(
  dayIntervals: readonly IntervalCount[],
  calendar: LocalCalendar,
  classes: readonly TravelClass[],
): number | null {
  const hours = new Map<number, { volume: number; max: number; n: number; perHour: number }>();
  for (const iv of dayIntervals) {
    const hour = Math.floor(calendar.hourOf(iv.end - iv.intervalMs / 2));
    const v = classes.reduce((s, c) => s + (iv.counts[`${c}_in`] ?? 0) + (iv.counts[`${c}_out`] ?? 0), 0);
    const h = hours.get(hour) ?? { volume: 0, max: 0, n: 0, perHour: 3_600_000 / iv.intervalMs };
    h.volume += v;
    h.max = Math.max(h.max, v);
    h.n += 1;
    hours.set(hour, h);
  }
  const complete = [...hours.values()].filter((h) => h.n >= h.perHour);
  if (complete.length === 0) return null;
  const peak = complete.reduce((a, b) => (b.volume > a.volume ? b : a));
  return peak.max > 0 ? peak.volume / (peak.perHour * peak.max) : null;
}
