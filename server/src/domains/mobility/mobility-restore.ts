/**
 * A counter's sums after a restart (today's and this hour's so far), and every hour its baseline:
 * the same local day a week earlier, hour by hour.
 */
import { DIRECTIONS, TRAVEL_CLASSES, type ClassCounts } from '../../contract/index.js';
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import type { TelemetryStore } from '../../store/port.js';
import { DAY_MS, HOUR_MS, localDayStart, localHour, localHourStart } from '../../calendar/city-calendar.js';
import { seriesOnce } from '../device-series.js';
import type { FromStore } from '../domain-module.js';
import { addCounts, emptyCounts, type MobilityState } from './mobility-state.js';

/** Hourly counts per device and class over [from, to), as 24-hour arrays indexed by local hour. */
async function hourlyCounts(
  store: TelemetryStore,
  devices: readonly DeviceConfig[],
  from: number,
  to: number,
  timeZone: string,
): Promise<Map<string, ClassCounts[]>> {
  const out = new Map<string, ClassCounts[]>();
  for (const d of devices)
    out.set(
      d.id,
      Array.from({ length: 24 }, () => ({})),
    );
  for (const cls of TRAVEL_CLASSES) {
    for (const dir of DIRECTIONS) {
      const request = { metric: `${cls}_${dir}`, from, to, stepMs: HOUR_MS, agg: 'sum' } as const;
      for (const [id, s] of await seriesOnce(store, devices, request)) {
        const hours = out.get(id);
        s.values.forEach((v, i) => {
          const t = s.t[i];
          if (v === null || t === undefined || !hours) return;
          const h = hours[localHour(t, timeZone)];
          if (!h) return;
          const counts = (h[cls] ??= { in: 0, out: 0 });
          counts[dir] += v;
        });
      }
    }
  }
  return out;
}

export async function restoreMobility(
  { store, devices, states, now, timeZone }: FromStore<MobilityState>,
  lastSeen: ReadonlyMap<string, number>,
): Promise<Iterable<string>> {
  const dayStart = localDayStart(now, timeZone);
  const hourStart = localHourStart(now, timeZone);
  const today = await hourlyCounts(store, devices, dayStart, now + 1, timeZone);
  for (const [id, hours] of today) {
    const state = states.get(id);
    if (!state) continue;
    state.dayStart = dayStart;
    state.hourStart = hourStart;
    state.today = emptyCounts();
    state.hour = emptyCounts();
    hours.forEach((h) => addCounts(state.today, h));
    addCounts(state.hour, hours[localHour(now, timeZone)] ?? {});
    // Readings already in the store must not be counted again if the broker re-delivers them.
    state.lastCountedTs = Math.max(state.lastCountedTs, lastSeen.get(id) ?? 0);
  }
  return [];
}

export async function refreshMobilityBaselines({
  store,
  devices,
  states,
  now,
  timeZone,
}: FromStore<MobilityState>): Promise<void> {
  const weekAgo = localDayStart(now, timeZone) - 7 * DAY_MS;
  const hourly = await hourlyCounts(store, devices, weekAgo, weekAgo + DAY_MS, timeZone);
  for (const [id, hours] of hourly) {
    const state = states.get(id);
    // No data that day (a new deployment): "unknown", not a week of zeros.
    const any = hours.some((h) => Object.keys(h).length > 0);
    if (state) state.weekAgo = any ? { dayStart: weekAgo, hourly: hours } : undefined;
  }
}
