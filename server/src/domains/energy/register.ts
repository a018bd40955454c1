/**
 * Consumption from a cumulative import register. The register only grows, so
 * consumption over an interval is the difference of two readings, except:
 * - duplicates (same ts) are one reading; out-of-order arrivals are sorted;
 * - a decrease is a meter reset (or replacement) to zero: the interval's
 *   consumption is the new reading itself (what accrued since the reset);
 * - a gap longer than `maxGapMs` is unknown consumption, never a zero and
 *   never smeared over days it does not belong to;
 * - an increase implying more than `maxKw` is a corrupt reading and is dropped.
 */
import { nextDate, type LocalCalendar } from '../../calendar/city-calendar.js';

export interface RegisterPoint {
  t: number;
  kwh: number;
}

export interface IntervalUse {
  /** Start and end of the interval, epoch ms (the two readings). */
  from: number;
  to: number;
  kwh: number;
  reset: boolean;
}

export interface RegisterOptions {
  maxGapMs: number;
  maxKw?: number;
}

export function intervalConsumption(
  points: readonly RegisterPoint[],
  options: RegisterOptions,
): IntervalUse[] {
  // Sort, and keep the last value seen for a repeated timestamp.
  const byTime = new Map<number, number>();
  for (const p of points) byTime.set(p.t, p.kwh);
  const sorted = [...byTime.entries()].sort((a, b) => a[0] - b[0]);
  const out: IntervalUse[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [from, before] = sorted[i - 1] as [number, number];
    const [to, after] = sorted[i] as [number, number];
    if (to - from > options.maxGapMs) continue;
    const reset = after < before;
    const kwh = reset ? after : after - before;
    if (options.maxKw !== undefined && kwh / ((to - from) / 3_600_000) > options.maxKw) continue;
    out.push({ from, to, kwh, reset });
  }
  return out;
}

export interface DayEnergy {
  kwh: number;
  /** Share of the day covered by known intervals, 0..1. */
  coverage: number;
}

/**
 * Consumption per local date. An interval spanning midnight is split by time,
 * assuming a constant rate inside one reporting interval.
 */
export function dailyEnergy(
  intervals: readonly IntervalUse[],
  calendar: LocalCalendar,
): Map<string, DayEnergy> {
  const days = new Map<string, DayEnergy>();
  for (const use of intervals) {
    let start = use.from;
    while (start < use.to) {
      const date = calendar.dateOf(start);
      const nextMidnight = calendar.startOf(nextDate(date));
      const end = Math.min(use.to, nextMidnight);
      const share = (end - start) / (use.to - use.from);
      const day = days.get(date) ?? { kwh: 0, coverage: 0 };
      day.kwh += use.kwh * share;
      day.coverage += (end - start) / (nextMidnight - calendar.startOf(date));
      days.set(date, day);
      start = end;
    }
  }
  return days;
}

/** Highest mean demand over one interval of each date, kW (the billing-style 15-minute peak). */
export function dailyPeakKw(intervals: readonly IntervalUse[], calendar: LocalCalendar): Map<string, number> {
  const peaks = new Map<string, number>();
  for (const use of intervals) {
    const kw = use.kwh / ((use.to - use.from) / 3_600_000);
    const date = calendar.dateOf((use.from + use.to) / 2);
    peaks.set(date, Math.max(peaks.get(date) ?? 0, kw));
  }
  return peaks;
}

/**
 * Night base load per date: mean kW over intervals whose middle falls in
 * [fromHour, toHour) local time. Derived from the register, not from the
 * instantaneous power field, so a spike in power_kw cannot distort it.
 */
export function nightBaseLoadKw(
  intervals: readonly IntervalUse[],
  calendar: LocalCalendar,
  hours: readonly [number, number] = [0, 5],
): Map<string, { kw: number; coverage: number }> {
  const acc = new Map<string, { kwh: number; ms: number }>();
  for (const use of intervals) {
    const mid = (use.from + use.to) / 2;
    const hour = calendar.hourOf(mid);
    if (hour < hours[0] || hour >= hours[1]) continue;
    const date = calendar.dateOf(mid);
    const a = acc.get(date) ?? { kwh: 0, ms: 0 };
    a.kwh += use.kwh;
    a.ms += use.to - use.from;
    acc.set(date, a);
  }
  const windowMs = (hours[1] - hours[0]) * 3_600_000;
  return new Map(
    [...acc].map(([date, a]) => [
      date,
      { kw: a.kwh / (a.ms / 3_600_000), coverage: Math.min(1, a.ms / windowMs) },
    ]),
  );
}
