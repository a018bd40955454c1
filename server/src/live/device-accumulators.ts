/**
 * Per-device rolling state the indicators need beyond the tracker's latest values:
 * bin collections, counter sums for this hour and today, meter register at midnight,
 * and the baselines computed from the store. Fed only by the reading stream.
 */
import { TRAVEL_CLASSES, type ClassCounts, type Reading } from '../contract/index.js';
import { HOUR_MS, localDayStart, localHourStart } from '../calendar/city-calendar.js';
import { FULL_FILL, watchFill, type CollectionWatch } from '../domains/waste/fill-thresholds.js';

/** A bin: its last collection, from an event or from its fill (fill-thresholds.ts says what a collection looks like). */
export interface WasteState extends CollectionWatch {
  lastFillTs: number;
  lastCollection: number | null;
}

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

export interface EnergyState {
  dayStart: number;
  /** Import register at local midnight (the last reading of the previous day, else the first of today). */
  dayStartRegister: number | undefined;
  lastRegister: number | undefined;
  lastRegisterTs: number;
  /** Mean kW per local hour of day over the previous 7 days. */
  profile: (number | null)[] | undefined;
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

export function newEnergy(now: number, tz: string): EnergyState {
  return {
    dayStart: localDayStart(now, tz),
    dayStartRegister: undefined,
    lastRegister: undefined,
    lastRegisterTs: 0,
    profile: undefined,
  };
}

export function energyReading(
  state: EnergyState,
  ts: number,
  register: number | undefined,
  tz: string,
): void {
  if (register === undefined || ts < state.lastRegisterTs) return;
  const dayStart = localDayStart(ts, tz);
  if (dayStart > state.dayStart) {
    state.dayStart = dayStart;
    state.dayStartRegister = state.lastRegisterTs >= dayStart - HOUR_MS ? state.lastRegister : undefined;
  }
  state.dayStartRegister ??= register;
  // A meter swap or register reset: restart the day's count from here rather than go negative.
  if (state.dayStartRegister > register) state.dayStartRegister = register;
  state.lastRegister = register;
  state.lastRegisterTs = ts;
}

export function kwhToday(state: EnergyState, now: number, tz: string): number | null {
  if (state.lastRegister === undefined || state.dayStartRegister === undefined) return null;
  if (state.dayStart < localDayStart(now, tz)) return 0;
  return state.lastRegister - state.dayStartRegister;
}

/** Expected kW at `now` and kWh from midnight to `now`, from the hour-of-day profile. */
export function energyBaseline(
  state: EnergyState,
  hourOfDay: number,
  hourFraction: number,
): { kw: number | null; kwhToDate: number | null } {
  const profile = state.profile;
  if (!profile) return { kw: null, kwhToDate: null };
  let kwh = 0;
  for (let h = 0; h < hourOfDay; h++) {
    const kw = profile[h];
    if (kw === null || kw === undefined) return { kw: profile[hourOfDay] ?? null, kwhToDate: null };
    kwh += kw;
  }
  const kw = profile[hourOfDay] ?? null;
  return { kw, kwhToDate: kw === null ? null : kwh + kw * hourFraction };
}

export function isFull(fill: number): boolean {
  return fill >= FULL_FILL;
}
