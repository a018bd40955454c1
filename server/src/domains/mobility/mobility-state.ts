/**
 * A counter's rolling state for the live indicators, beyond the tracker's latest values: its sums
 * for this hour and today, and the same day a week earlier (restored from the store). Fed only by
 * the reading stream.
 */
import { TRAVEL_CLASSES, type ClassCounts, type Reading } from '../../contract/index.js';
import { HOUR_MS, localDayStart, localHourStart } from '../../calendar/city-calendar.js';

export interface MobilityState {
  /** Interval ends up to here are in the sums already (restored from the store, or of a past day). */
  lastCountedTs: number;
  /**
   * Interval ends counted since: a re-delivered reading is not counted twice, and one that comes
   * late (a peer's reading in a cluster, a device's buffered one) still counts.
   */
  counted: Set<number>;
  newestTs: number;
  hourStart: number;
  dayStart: number;
  hour: ClassCounts;
  today: ClassCounts;
  /** Total of the latest interval, all classes and directions (the pilot's sparkline). */
  latestTotal: number;
  /** The same local day a week earlier, hour by hour; undefined until the store has answered. */
  weekAgo: { dayStart: number; hourly: ClassCounts[] } | undefined;
}

export function emptyCounts(): ClassCounts {
  const counts: ClassCounts = {};
  for (const cls of TRAVEL_CLASSES) counts[cls] = { in: 0, out: 0 };
  return counts;
}

export function addCounts(into: ClassCounts, from: ClassCounts): void {
  for (const [cls, c] of Object.entries(from)) {
    const target = (into[cls] ??= { in: 0, out: 0 });
    target.in += c.in;
    target.out += c.out;
  }
}

export function countsOf(metrics: Record<string, number>): ClassCounts {
  const counts: ClassCounts = {};
  for (const cls of TRAVEL_CLASSES) {
    const i = metrics[`${cls}_in`];
    const o = metrics[`${cls}_out`];
    if (i !== undefined || o !== undefined) counts[cls] = { in: i ?? 0, out: o ?? 0 };
  }
  return counts;
}

export function totalOf(counts: ClassCounts): number {
  let total = 0;
  for (const c of Object.values(counts)) total += c.in + c.out;
  return total;
}

export function newMobility(now: number, tz: string): MobilityState {
  return {
    lastCountedTs: 0,
    counted: new Set(),
    newestTs: 0,
    hourStart: localHourStart(now, tz),
    dayStart: localDayStart(now, tz),
    hour: emptyCounts(),
    today: emptyCounts(),
    latestTotal: 0,
    weekAgo: undefined,
  };
}

/** Moves the hour and day windows forward to `ts`, zeroing what fell out. */
export function rollMobility(state: MobilityState, ts: number, tz: string): void {
  const hourStart = localHourStart(ts, tz);
  if (hourStart <= state.hourStart) return;
  state.hourStart = hourStart;
  state.hour = emptyCounts();
  const dayStart = localDayStart(ts, tz);
  if (dayStart > state.dayStart) {
    state.dayStart = dayStart;
    state.today = emptyCounts();
    // Intervals ending at or before midnight belong to days no longer counted.
    state.lastCountedTs = Math.max(state.lastCountedTs, dayStart);
    for (const counted of state.counted) if (counted <= dayStart) state.counted.delete(counted);
  }
}

/** Past this many interval ends in one day (a flood), dedupe falls back to "newer than the newest counted". */
const MAX_COUNTED = 4096;

export function mobilityReading(state: MobilityState, reading: Reading, tz: string): boolean {
  const ts = reading.ts;
  if (ts <= state.lastCountedTs || state.counted.has(ts)) return false;
  state.counted.add(ts);
  if (state.counted.size > MAX_COUNTED) {
    state.lastCountedTs = Math.max(...state.counted);
    state.counted.clear();
  }
  const counts = countsOf(reading.metrics);
  if (ts >= state.newestTs) {
    state.newestTs = ts;
    state.latestTotal = totalOf(counts);
  }
  // The counts cover the interval ending at ts: they belong to the hour holding ts − 1 ms.
  const at = reading.ts - 1;
  rollMobility(state, at, tz);
  if (at >= state.dayStart) addCounts(state.today, counts);
  if (at >= state.hourStart && at < state.hourStart + HOUR_MS) addCounts(state.hour, counts);
  return true;
}
