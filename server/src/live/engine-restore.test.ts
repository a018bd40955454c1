import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import { TRAVEL_CLASSES, DIRECTIONS, type Reading } from '../contract/index.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { SeriesQuery, TelemetryStore } from '../store/port.js';
import { DAY_MS, HOUR_MS, localDayStart, localHour } from '../calendar/city-calendar.js';
import { DeviceTracker } from './device-tracker.js';
import { refreshBaselines, restoreFromStore } from './engine-restore.js';
import { IndicatorEngine } from './indicator-engine.js';

const registry = loadRegistry('config/portfolio.yaml');
const TZ = registry.portfolio.timezone;
const STEP = 900_000;
// 14:07 in Tbilisi (UTC+4): the counters' 14:05 reading is in this hour.
const NOW = Date.UTC(2026, 10, 4, 10, 7);
const DAY_START = localDayStart(NOW, TZ);
const WEEK_AGO = DAY_START - 7 * DAY_MS;
const of = (domain: string) => registry.portfolio.devices.filter((d) => d.domain === domain);
const bins = of('waste');
const counters = of('mobility');
const meters = of('energy');
// The bins are emptied (fill drops from high to 0.05) at this reading.
const COLLECTED = NOW - DAY_MS + 2 * STEP;

function reading(device: (typeof bins)[number], ts: number, metrics: Record<string, number>): Reading {
  return {
    device: device.id,
    domain: device.domain,
    site: device.site,
    ts,
    seq: 0,
    metrics,
    simulated: true,
    receivedAt: ts,
  };
}

function history(): Reading[] {
  const out: Reading[] = [];
  for (let ts = NOW - 3 * DAY_MS + STEP; ts <= NOW; ts += STEP)
    for (const d of bins) out.push(reading(d, ts, { fill: ts < COLLECTED ? 0.6 + (ts % 7) / 100 : 0.05 }));
  for (let h = 0; h < 24; h++) {
    const today = DAY_START + h * HOUR_MS + 5 * 60_000;
    for (const d of counters) {
      if (today <= NOW) out.push(reading(d, today, { pedestrian_in: 2, bicycle_out: 1, interval_s: 3600 }));
      // A week ago only some hours had traffic.
      if (h % 2 === 0) out.push(reading(d, WEEK_AGO + h * HOUR_MS, { car_in: 3, interval_s: 3600 }));
    }
  }
  for (let ts = WEEK_AGO; ts <= NOW; ts += STEP)
    for (const d of meters)
      out.push(
        reading(d, ts, { energy_kwh: 1000 + (ts - WEEK_AGO) / STEP, power_kw: localHour(ts, TZ) + 1 }),
      );
  return out;
}

/** Each store query as the fields that decide its cost and answer. */
function recording(store: TelemetryStore, into: string[]): TelemetryStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'series') return Reflect.get(target, key, receiver) as unknown;
      return (q: SeriesQuery) => {
        const keys = q.selectors.map((s) => `${s.key}=${s.devices.join('+')}`).join(',');
        into.push(`${q.metric} ${q.agg} ${q.step} ${q.from - NOW} ${q.to - NOW} ${keys}`);
        return target.series(q);
      };
    },
  });
}

describe('the live engine restored from the store', () => {
  const store = new DuckDbStore(':memory:');
  const queries: string[] = [];
  const engine = new IndicatorEngine(registry, new DeviceTracker(registry), NOW);

  beforeAll(async () => {
    await store.open();
    await store.write(history());
    const recorded = recording(store, queries);
    await restoreFromStore(engine, recorded, registry.devices.values(), await store.lastSeen(), NOW);
  });
  afterAll(() => store.close());

  it('asks the store the same queries, domain by domain, then the trends and the baselines', () => {
    const each = (list: typeof bins) => list.map((d) => `${d.id}=${d.id}`).join(',');
    const counts = (from: number, to: number) =>
      TRAVEL_CLASSES.flatMap((c) =>
        DIRECTIONS.map((dir) => `${c}_${dir} sum ${HOUR_MS} ${from} ${to} ${each(counters)}`),
      );
    const restore = [
      `fill last ${STEP} ${-3 * DAY_MS} 1 ${each(bins)}`,
      ...counts(DAY_START - NOW, 1),
      `energy_kwh min ${STEP} ${DAY_START - NOW} 1 ${each(meters)}`,
      `energy_kwh max ${STEP} ${DAY_START - NOW} 1 ${each(meters)}`,
    ];
    const baselines = [
      ...counts(WEEK_AGO - NOW, WEEK_AGO + DAY_MS - NOW),
      `power_kw mean ${HOUR_MS} ${WEEK_AGO - NOW} ${DAY_START - NOW} ${each(meters)}`,
    ];
    expect(queries.slice(0, restore.length)).toEqual(restore);
    expect(queries.slice(-baselines.length)).toEqual(baselines);
    // Between them, one sparkline restore per pilot (trend-restore.ts), in the same order.
    const trends = queries.slice(restore.length, -baselines.length).map((q) => q.split(' ')[0]);
    const perClass = TRAVEL_CLASSES.flatMap((c) => DIRECTIONS.map((dir) => `${c}_${dir}`));
    expect(trends).toEqual(['fill', ...perClass, 'power_kw']);
  });

  it("restores each bin's last collection", () => {
    for (const d of bins)
      expect(engine.waste.get(d.id)?.lastCollection).toBe(Math.floor(COLLECTED / STEP) * STEP);
  });

  it("restores each counter's counts of today and this hour, and the same day a week ago", () => {
    const hours = localHour(NOW, TZ) + 1;
    for (const d of counters) {
      const state = engine.mobility.get(d.id);
      expect(state?.today.pedestrian).toEqual({ in: 2 * hours, out: 0 });
      expect(state?.today.bicycle).toEqual({ in: 0, out: hours });
      expect(state?.hour.pedestrian).toEqual({ in: 2, out: 0 });
      expect(state?.dayStart).toBe(DAY_START);
      expect(state?.lastCountedTs).toBe(DAY_START + (hours - 1) * HOUR_MS + 5 * 60_000);
      expect(state?.weekAgo?.dayStart).toBe(WEEK_AGO);
      expect(state?.weekAgo?.hourly.map((h) => h.car?.in ?? 0)).toEqual(
        Array.from({ length: 24 }, (_, h) => (h % 2 === 0 ? 3 : 0)),
      );
    }
  });

  it("restores each meter's register at midnight and now, and its power profile of the week", () => {
    for (const d of meters) {
      const state = engine.energy.get(d.id);
      expect(state?.dayStartRegister).toBe(1000 + (DAY_START - WEEK_AGO) / STEP);
      expect(state?.lastRegister).toBe(1000 + Math.floor((NOW - WEEK_AGO) / STEP));
      expect(state?.lastRegisterTs).toBe(WEEK_AGO + Math.floor((NOW - WEEK_AGO) / STEP) * STEP);
      expect(state?.profile).toEqual(Array.from({ length: 24 }, (_, h) => h + 1));
    }
  });

  it('leaves a counter without traffic a week ago without a baseline, and re-sends the groups', async () => {
    const empty = new DuckDbStore(':memory:');
    await empty.open();
    const fresh = new IndicatorEngine(registry, new DeviceTracker(registry), NOW);
    fresh.takeChanges(NOW);
    await refreshBaselines(fresh, empty, registry.devices.values(), NOW);
    for (const d of counters) expect(fresh.mobility.get(d.id)?.weekAgo).toBeUndefined();
    for (const d of meters) expect(fresh.energy.get(d.id)?.profile).toBeUndefined();
    const changed = fresh.takeChanges(NOW);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.scope !== 'device')).toBe(true);
    await empty.close();
  });
});
