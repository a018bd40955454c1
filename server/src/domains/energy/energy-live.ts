/**
 * The live engine's hooks for meters: each meter's register at local midnight and its hour-of-day
 * power profile of the last week (restored from the store), and the site's and pilot's kW now,
 * kWh today and their baselines from them.
 */
import { energyBaseline, energyReading, kwhToday, newEnergy, type EnergyState } from './energy-state.js';
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import type { DeviceTracker } from '../../live/device-tracker.js';
import { sumOf } from '../../live/series-sums.js';
import { HOUR_MS, localHour, localHourStart } from '../../calendar/city-calendar.js';
import type { DeviceStates, LiveDevice, LiveGroups } from '../domain-module.js';
import { refreshEnergyBaselines, restoreEnergy } from './energy-restore.js';

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

export const energyLive: LiveDevice<EnergyState> = {
  newState: newEnergy,
  onReading: (state, reading, timeZone) => {
    energyReading(state, reading.ts, reading.metrics.energy_kwh, timeZone);
    return undefined;
  },
  restore: restoreEnergy,
  refreshBaselines: refreshEnergyBaselines,
};

export const energyGroups: LiveGroups<EnergyState> = {
  tallyFill: false,
  hourly: true,
  aggregate: ({ base, devices, states, tracker, now, timeZone }) => ({
    ...base,
    domain: 'energy',
    indicators: energyIndicators(devices, states, tracker, now, timeZone),
  }),
  headline: (entity) => (entity.domain === 'energy' ? entity.indicators.kw : null),
  trend: {
    counter: false,
    // Each building's mean, summed over those that reported.
    restore: async (store, devices, { from, to, step }) => {
      const { series } = await store.series({
        selectors: devices.map((d) => ({ key: d.id, devices: [d.id] })),
        metric: 'power_kw',
        from,
        to,
        step,
        agg: 'mean',
      });
      return sumOf(series.map((s) => s.values));
    },
  },
};
