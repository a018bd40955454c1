/**
 * Daily kWh from a meter register with resets, duplicated and out-of-order
 * readings (simulator faults, through the ingest's classify into DuckDB)
 * equals the true consumption: the same seed without faults, whose register
 * differences are exact. The in-memory store used by the coverage runs must
 * give the same answer as DuckDB.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { EnergyDevice } from '../../server/src/config/portfolio-schema.js';
import { energyDays, type BuildingDay } from '../../server/src/domains/energy/energy-kpis.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { DuckDbStore } from '../../server/src/store/duckdb/duckdb-store.js';
import type { TelemetryStore } from '../../server/src/store/port.js';
import { MemoryStore } from './memory-store.js';
import { PORTFOLIO, backfill } from './sim-backfill.js';

const registry = loadRegistry(PORTFOLIO);
const calendar = new LocalCalendar(registry.portfolio.timezone);
const meters = registry.portfolio.devices.filter((d): d is EnergyDevice => d.domain === 'energy');
const range = ['2026-01-10', '2026-01-24'] as const;
const from = calendar.startOf(range[0]);
const to = calendar.startOf(range[1]);

async function days(store: TelemetryStore, faults: Record<string, number>) {
  await store.open();
  const { truth } = await backfill({
    store,
    seed: 11,
    ranges: [range],
    domains: ['energy'],
    faults,
    registry,
  });
  return { days: await energyDays(store, meters, calendar, from, to), truth };
}

const key = (d: BuildingDay) => `${d.device} ${d.date}`;

describe('daily kWh from a faulty register', () => {
  const stores: TelemetryStore[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  it('equals the true consumption despite resets, duplicates and out-of-order readings', async () => {
    const clean = new DuckDbStore(':memory:');
    const faulty = new DuckDbStore(':memory:');
    const memory = new MemoryStore();
    stores.push(clean, faulty, memory);
    const faults = { reset: 0.004, duplicate: 0.03, out_of_order: 0.03 };
    const truthDays = (await days(clean, {})).days;
    const measured = await days(faulty, faults);
    const counts = (measured.truth as unknown as { faults: { counts: Record<string, number> } }).faults
      .counts;
    expect(counts.reset ?? 0).toBeGreaterThan(2);
    expect(counts.duplicate ?? 0).toBeGreaterThan(50);
    expect(counts.out_of_order ?? 0).toBeGreaterThan(50);

    const expected = new Map(truthDays.map((d) => [key(d), d.kwh]));
    // First and last day are partial (no reading before the first one); the days between are whole.
    const whole = measured.days.filter((d) => d.date > range[0] && d.date < '2026-01-23');
    expect(whole.length).toBe(meters.length * 12);
    for (const d of whole) {
      expect(d.coverage).toBeCloseTo(1, 9);
      // A reset reading carries the register rounded to 0.01 kWh: at most a cent of a kWh per reset.
      expect(Math.abs(d.kwh - (expected.get(key(d)) ?? Number.NaN)), key(d)).toBeLessThan(0.02);
    }
    const memoryDays = (await days(memory, faults)).days;
    expect(memoryDays.map((d) => [key(d), d.kwh.toFixed(6)])).toEqual(
      measured.days.map((d) => [key(d), d.kwh.toFixed(6)]),
    );
  });
});
