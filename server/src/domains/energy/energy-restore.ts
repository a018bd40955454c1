/**
 * A meter's register at local midnight and now after a restart, and every hour its baseline: the
 * hour-of-day power profile of the 7 days before today.
 */
import { DAY_MS, HOUR_MS, localDayStart, localHour } from '../../calendar/city-calendar.js';
import { seriesOnce } from '../device-series.js';
import type { FromStore } from '../domain-module.js';
import type { EnergyState } from './energy-state.js';

export async function restoreEnergy(
  { store, devices, states, now, timeZone }: FromStore<EnergyState>,
  lastSeen: ReadonlyMap<string, number>,
): Promise<Iterable<string>> {
  const dayStart = localDayStart(now, timeZone);
  const today = { metric: 'energy_kwh', from: dayStart, to: now + 1, stepMs: 900_000 };
  // The register at midnight is the smallest reading since then (it only grows).
  const registers = await seriesOnce(store, devices, { ...today, agg: 'min' });
  const latest = await seriesOnce(store, devices, { ...today, agg: 'max' });
  for (const [id, s] of registers) {
    const state = states.get(id);
    const first = s.values.find((v) => v !== null);
    const last = latest.get(id)?.values.findLast((v) => v !== null);
    if (!state || first === undefined || first === null || last === undefined || last === null) continue;
    state.dayStart = dayStart;
    state.dayStartRegister = first;
    state.lastRegister = last;
    state.lastRegisterTs = lastSeen.get(id) ?? now;
  }
  return [];
}

export async function refreshEnergyBaselines({
  store,
  devices,
  states,
  now,
  timeZone,
}: FromStore<EnergyState>): Promise<void> {
  const dayStart = localDayStart(now, timeZone);
  const weekAgo = dayStart - 7 * DAY_MS;
  // Hour buckets align with the local hours in whole-hour zones.
  const request = { metric: 'power_kw', from: weekAgo, to: dayStart, stepMs: HOUR_MS, agg: 'mean' } as const;
  for (const [id, s] of await seriesOnce(store, devices, request)) {
    const state = states.get(id);
    if (!state) continue;
    const sums = new Array<number>(24).fill(0);
    const counts = new Array<number>(24).fill(0);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const h = localHour(s.t[i] ?? 0, timeZone);
      sums[h] = (sums[h] ?? 0) + v;
      counts[h] = (counts[h] ?? 0) + 1;
    });
    const complete = counts.every((n) => n > 0);
    state.profile = complete ? sums.map((sum, h) => sum / (counts[h] ?? 1)) : undefined;
  }
}
