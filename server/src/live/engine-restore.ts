/**
 * What the live engine takes from the store: at start-up, the state the stream
 * would have built had the server been running (today's counts, the meter register
 * at midnight, recent bin collections); every hour, the baselines (the same day a
 * week earlier for counters, the hour-of-day power profile of the last week for meters).
 * Only the baselines and the start-up state come from here; live values come from the bus.
 */
import { TRAVEL_CLASSES, DIRECTIONS, type ClassCounts } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { Aggregate, TelemetryStore } from '../store/port.js';
import { addCounts, emptyCounts } from '../domains/mobility/mobility-state.js';
import { wasteReading } from '../domains/waste/waste-state.js';
import type { IndicatorEngine } from './indicator-engine.js';
import { restoreTrends } from './trend-restore.js';
import { DAY_MS, HOUR_MS, localDayStart, localHour, localHourStart } from '../calendar/city-calendar.js';

/**
 * The DuckDB adapter runs one query per selector: past this many devices of a domain the
 * start-up restore would take minutes, so big fleets start from the stream alone.
 */
export const RESTORE_DEVICE_LIMIT = 500;

type Series = Map<string, { t: number[]; values: (number | null)[] }>;

async function perDevice(
  store: TelemetryStore,
  devices: readonly DeviceConfig[],
  metric: string,
  from: number,
  to: number,
  step: number,
  agg: Aggregate,
): Promise<Series> {
  const out: Series = new Map();
  if (!devices.length || from >= to) return out;
  const result = await store.series({
    selectors: devices.map((d) => ({ key: d.id, devices: [d.id] })),
    metric,
    from,
    to,
    step,
    agg,
  });
  for (const s of result.series) out.set(s.key, { t: result.t, values: s.values });
  return out;
}

function devicesOf(domain: string, all: Iterable<DeviceConfig>): DeviceConfig[] {
  const list = [...all].filter((d) => d.domain === domain);
  return list.length <= RESTORE_DEVICE_LIMIT ? list : [];
}

/** Hourly counts per device and class over [from, to), as 24-hour arrays indexed by local hour. */
async function hourlyCounts(
  store: TelemetryStore,
  devices: DeviceConfig[],
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
      const series = await perDevice(store, devices, `${cls}_${dir}`, from, to, HOUR_MS, 'sum');
      for (const [id, s] of series) {
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

export async function restoreFromStore(
  engine: IndicatorEngine,
  store: TelemetryStore,
  devices: Iterable<DeviceConfig>,
  lastSeen: ReadonlyMap<string, number>,
  now: number,
): Promise<void> {
  const tz = engine.timeZone;
  const all = [...devices];
  const dayStart = localDayStart(now, tz);
  const hourStart = localHourStart(now, tz);

  // Waste: replay three days of fill to find the last collection (a sharp drop).
  const bins = devicesOf('waste', all);
  const fills = await perDevice(store, bins, 'fill', now - 3 * DAY_MS, now + 1, 900_000, 'last');
  for (const [id, s] of fills) {
    const state = engine.waste.get(id);
    if (state) s.values.forEach((v, i) => wasteReading(state, s.t[i] ?? 0, v ?? undefined));
  }
  // A restored collection shows in the bin's own entity; the other restored state only in aggregates.
  engine.touch(fills.keys());

  // Mobility: today's and this hour's counts so far.
  const counters = devicesOf('mobility', all);
  const today = await hourlyCounts(store, counters, dayStart, now + 1, tz);
  for (const [id, hours] of today) {
    const state = engine.mobility.get(id);
    if (!state) continue;
    state.dayStart = dayStart;
    state.hourStart = hourStart;
    state.today = emptyCounts();
    state.hour = emptyCounts();
    hours.forEach((h) => addCounts(state.today, h));
    addCounts(state.hour, hours[localHour(now, tz)] ?? {});
    // Readings already in the store must not be counted again if the broker re-delivers them.
    state.lastCountedTs = Math.max(state.lastCountedTs, lastSeen.get(id) ?? 0);
  }

  // Energy: the register at midnight is the smallest reading since then (it only grows).
  const meters = devicesOf('energy', all);
  const registers = await perDevice(store, meters, 'energy_kwh', dayStart, now + 1, 900_000, 'min');
  const latest = await perDevice(store, meters, 'energy_kwh', dayStart, now + 1, 900_000, 'max');
  for (const [id, s] of registers) {
    const state = engine.energy.get(id);
    const first = s.values.find((v) => v !== null);
    const last = latest.get(id)?.values.findLast((v) => v !== null);
    if (!state || first === undefined || first === null || last === undefined || last === null) continue;
    state.dayStart = dayStart;
    state.dayStartRegister = first;
    state.lastRegister = last;
    state.lastRegisterTs = lastSeen.get(id) ?? now;
  }
  await restoreTrends(engine, store, [...bins, ...counters, ...meters], now);
  await refreshBaselines(engine, store, all, now);
}

export async function refreshBaselines(
  engine: IndicatorEngine,
  store: TelemetryStore,
  devices: Iterable<DeviceConfig>,
  now: number,
): Promise<void> {
  const tz = engine.timeZone;
  const all = [...devices];
  const dayStart = localDayStart(now, tz);
  const weekAgo = dayStart - 7 * DAY_MS;

  const counters = devicesOf('mobility', all);
  const hourly = await hourlyCounts(store, counters, weekAgo, weekAgo + DAY_MS, tz);
  for (const [id, hours] of hourly) {
    const state = engine.mobility.get(id);
    // No data that day (a new deployment): "unknown", not a week of zeros.
    const any = hours.some((h) => Object.keys(h).length > 0);
    if (state) state.weekAgo = any ? { dayStart: weekAgo, hourly: hours } : undefined;
  }

  // Hour-of-day power profile over the 7 days before today (hour buckets align with whole-hour zones).
  const meters = devicesOf('energy', all);
  const power = await perDevice(store, meters, 'power_kw', weekAgo, dayStart, HOUR_MS, 'mean');
  for (const [id, s] of power) {
    const state = engine.energy.get(id);
    if (!state) continue;
    const sums = new Array<number>(24).fill(0);
    const counts = new Array<number>(24).fill(0);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const h = localHour(s.t[i] ?? 0, tz);
      sums[h] = (sums[h] ?? 0) + v;
      counts[h] = (counts[h] ?? 0) + 1;
    });
    const complete = counts.every((n) => n > 0);
    state.profile = complete ? sums.map((sum, h) => sum / (counts[h] ?? 1)) : undefined;
  }
  engine.touchGroups();
}
