/**
 * The live engine's hooks for counters: each counter's sums for this hour and today (and the same
 * day a week earlier, restored from the store), the site's and pilot's counts from them (groups are
 * small: tens of counters), and passages per 15 minutes as the pilot's sparkline.
 */
import { DIRECTIONS, TRAVEL_CLASSES, type ClassCounts } from '../../contract/index.js';
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import {
  addCounts,
  countsOf,
  emptyCounts,
  mobilityReading,
  newMobility,
  rollMobility,
  totalOf,
  type MobilityState,
} from './mobility-state.js';
import { pooledSeries, sumOf } from '../../live/series-sums.js';
import { localDayStart, localHour, localHourStart } from '../../calendar/city-calendar.js';
import type { DeviceStates, LiveDevice, LiveGroups } from '../domain-module.js';
import { refreshMobilityBaselines, restoreMobility } from './mobility-restore.js';

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

export const mobilityLive: LiveDevice<MobilityState> = {
  newState: newMobility,
  onReading: (state, reading, timeZone) =>
    mobilityReading(state, reading, timeZone) ? totalOf(countsOf(reading.metrics)) : undefined,
  restore: restoreMobility,
  refreshBaselines: refreshMobilityBaselines,
};

export const mobilityGroups: LiveGroups<MobilityState> = {
  tallyFill: false,
  hourly: true,
  aggregate: ({ base, devices, states, now, timeZone }) => ({
    ...base,
    domain: 'mobility',
    indicators: mobilityIndicators(devices, states, now, timeZone),
  }),
  headline: (entity, trends, now) => trends.passagesPerBucket(entity.pilot, now),
  trend: {
    counter: true,
    restore: async (store, devices, range) => {
      const parts: (number | null)[][] = [];
      for (const cls of TRAVEL_CLASSES)
        for (const dir of DIRECTIONS)
          parts.push(await pooledSeries(store, devices, range, `${cls}_${dir}`, 'sum'));
      return sumOf(parts);
    },
  },
};
