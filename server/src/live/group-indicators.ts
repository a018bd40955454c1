/**
 * The indicators of a site or pilot from its devices: waste from the group's running totals,
 * mobility and energy from each device's rolling state (their groups are small: tens of counters
 * and meters, against tens of thousands of bins).
 */
import type { ClassCounts } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import {
  addCounts,
  emptyCounts,
  energyBaseline,
  kwhToday,
  rollMobility,
  type EnergyState,
  type MobilityState,
} from './device-accumulators.js';
import type { DeviceTracker } from './device-tracker.js';
import type { GroupTally } from './group-tally.js';
import { HOUR_MS, localDayStart, localHour, localHourStart } from '../calendar/city-calendar.js';

/** Read access to one domain's per-device state (restore and baselines write into the objects). */
export interface DeviceStates<S> {
  get(device: string): S | undefined;
}

export function wasteIndicators(bins: number, tally: GroupTally) {
  const { reporting, fillSum, full, overflowing } = tally;
  return { bins, reporting, meanFill: reporting ? fillSum / reporting : null, full, overflowing };
}

export function mobilityIndicators(
  devices: readonly DeviceConfig[],
  states: DeviceStates<MobilityState>,
  now: number,
  timeZone: string,
) {
  const hourStart = localHourStart(now, timeZone);
  const dayStart = localDayStart(now, timeZone);
  const hourOfDay = localHour(now, timeZone);
  const hour = emptyCounts();
  const today = emptyCounts();
  let hourWeekAgo: ClassCounts | null = emptyCounts();
  let todayWeekAgo: ClassCounts | null = emptyCounts();
  for (const d of devices) {
    const state = states.get(d.id);
    if (!state) continue;
    rollMobility(state, now, timeZone);
    if (state.hourStart === hourStart) addCounts(hour, state.hour);
    if (state.dayStart === dayStart) addCounts(today, state.today);
    const weekAgo = state.weekAgo;
    if (!weekAgo || weekAgo.dayStart !== dayStart - 7 * 86_400_000) {
      hourWeekAgo = todayWeekAgo = null;
      continue;
    }
    if (hourWeekAgo && todayWeekAgo) {
      addCounts(hourWeekAgo, weekAgo.hourly[hourOfDay] ?? {});
      for (let h = 0; h <= hourOfDay; h++) addCounts(todayWeekAgo, weekAgo.hourly[h] ?? {});
    }
  }
  return { counters: devices.length, hourStart, dayStart, hour, today, hourWeekAgo, todayWeekAgo };
}

export function energyIndicators(
  devices: readonly DeviceConfig[],
  states: DeviceStates<EnergyState>,
  tracker: DeviceTracker,
  now: number,
  timeZone: string,
) {
  const hourOfDay = localHour(now, timeZone);
  const fraction = (now - localHourStart(now, timeZone)) / HOUR_MS;
  let kw: number | null = null;
  let kwh: number | null = null;
  let baselineKw: number | null = 0;
  let baselineKwh: number | null = 0;
  for (const d of devices) {
    const power = tracker.get(d.id)?.values.power_kw;
    // A silent meter's last power is stale: leave it out of "kW now" instead of freezing it in.
    if (power !== undefined && tracker.health(d.id, now) !== 'offline') kw = (kw ?? 0) + power;
    const state = states.get(d.id);
    if (!state) continue;
    const today = kwhToday(state, now, timeZone);
    if (today !== null) kwh = (kwh ?? 0) + today;
    const base = energyBaseline(state, hourOfDay, fraction);
    baselineKw = base.kw === null || baselineKw === null ? null : baselineKw + base.kw;
    baselineKwh = base.kwhToDate === null || baselineKwh === null ? null : baselineKwh + base.kwhToDate;
  }
  return {
    meters: devices.length,
    kw,
    kwhToday: kwh,
    baselineKw: devices.length ? baselineKw : null,
    baselineKwhToDate: devices.length ? baselineKwh : null,
  };
}
