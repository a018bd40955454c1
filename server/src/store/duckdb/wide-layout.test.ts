import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { METRICS, type Domain, type Reading } from '../../contract/index.js';
import { seededRandom } from '../../experiments/stats/seeded-random.js';
import { AGGREGATES, type SeriesQuery } from '../port.js';
import { DuckDbStore } from './duckdb-store.js';
import { readLongLayoutFile, writeLongLayoutFile } from './long-layout-fixture.js';

const T0 = Date.UTC(2026, 8, 1);
const MIN = 60_000;
const file = () => join(mkdtempSync(join(tmpdir(), 'kutaisi-wide-')), 'telemetry.duckdb');

function reading(
  device: string,
  ts: number,
  metrics: Record<string, number>,
  domain: Domain = 'waste',
): Reading {
  return { device, domain, site: 's', ts, seq: ts / MIN, metrics, simulated: false, receivedAt: ts };
}

describe('DuckDB wide layout: one row per reading', () => {
  it('merges a re-delivery that carries other metrics of the same reading, and counts what it already had', async () => {
    const store = new DuckDbStore(':memory:');
    await store.open();
    expect(await store.write([reading('bin-a', T0, { fill: 0.4 })])).toEqual({ inserted: 1, duplicates: 0 });
    // The same reading again with a battery voltage: the fill is a duplicate, the voltage is new.
    expect(await store.write([reading('bin-a', T0, { fill: 0.9, battery_v: 3.5 })])).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    expect(await store.countRows('bin-a')).toBe(2);
    const latest = (await store.latest(['bin-a'])).get('bin-a');
    // The stored value wins over a different one re-delivered under the same key, as before.
    expect(latest).toEqual({ fill: { value: 0.4, ts: T0 }, battery_v: { value: 3.5, ts: T0 } });
    await store.close();
  });

  it('stores the new readings of a batch that also holds stored ones', async () => {
    const store = new DuckDbStore(':memory:');
    await store.open();
    await store.write([reading('bin-a', T0, { fill: 0.1 }), reading('bin-b', T0, { fill: 0.2 })]);
    const again = await store.write([
      reading('bin-a', T0, { fill: 0.1 }),
      reading('bin-a', T0 + MIN, { fill: 0.3, temp_c: 9 }),
      reading('bin-c', T0, { fill: 0.5 }),
      reading('bin-c', T0, { temp_c: 7 }),
      reading('bin-c', T0, { temp_c: 7 }),
    ]);
    expect(again).toEqual({ inserted: 4, duplicates: 2 });
    expect(await store.countRows()).toBe(6);
    const latest = await store.latest(['bin-c']);
    expect(latest.get('bin-c')).toEqual({ fill: { value: 0.5, ts: T0 }, temp_c: { value: 7, ts: T0 } });
    await store.close();
  });

  it('grows a column at open when the contract has a metric the file lacks, keeping what is stored', async () => {
    const path = file();
    const narrow = new DuckDbStore(path, '256MB', { waste: ['fill'] });
    await narrow.open();
    await narrow.write([reading('bin-a', T0, { fill: 0.4 })]);
    await narrow.close();
    const wider = new DuckDbStore(path, '256MB', { waste: ['fill', 'rain_mm'] });
    await wider.open();
    expect(wider.schema?.added).toEqual(['rain_mm']);
    await wider.write([reading('bin-a', T0 + MIN, { fill: 0.5, rain_mm: 1.5 })]);
    const query = {
      from: T0,
      to: T0 + 2 * MIN,
      step: MIN,
      agg: 'last' as const,
      selectors: [{ key: 'a', devices: ['bin-a'] }],
    };
    expect((await wider.series({ ...query, metric: 'fill' })).series[0]?.values).toEqual([0.4, 0.5]);
    expect((await wider.series({ ...query, metric: 'rain_mm' })).series[0]?.values).toEqual([null, 1.5]);
    await wider.close();
  });

  it('adds a column while running when a reading brings a metric the table has none for', async () => {
    const store = new DuckDbStore(':memory:', '256MB', { waste: ['fill'] });
    await store.open();
    expect(await store.write([reading('bin-a', T0, { fill: 0.4, tilt_deg: 3 })])).toEqual({
      inserted: 2,
      duplicates: 0,
    });
    expect((await store.latest(['bin-a'])).get('bin-a')?.tilt_deg).toEqual({ value: 3, ts: T0 });
    await store.close();
  });

  it('keeps a long-format view with one row per stored metric value', async () => {
    const path = file();
    const store = new DuckDbStore(path);
    await store.open();
    await store.write([reading('bin-a', T0, { fill: 0.4, temp_c: 8 }), reading('bin-b', T0, { fill: 0.2 })]);
    await store.close();
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll('SELECT device, metric, value FROM readings ORDER BY device, metric')
    ).getRowObjectsJS();
    expect(rows).toEqual([
      { device: 'bin-a', metric: 'fill', value: 0.4 },
      { device: 'bin-a', metric: 'temp_c', value: 8 },
      { device: 'bin-b', metric: 'fill', value: 0.2 },
    ]);
    connection.closeSync();
    instance.closeSync();
  });
});

describe('DuckDB daily series aggregates', () => {
  it('answers a daily-step series from whole-day aggregates and the readings at its ends, late readings included', async () => {
    const store = new DuckDbStore(':memory:');
    await store.open();
    const DAY = 86_400_000;
    const day0 = Math.floor(T0 / DAY) * DAY;
    const readings: Reading[] = [];
    for (let i = 0; i < 4 * 24; i++)
      readings.push(reading('bin-a', day0 + i * 3_600_000, { fill: (i % 24) / 24 }));
    await store.write(readings);
    const query = {
      selectors: [{ key: 'a', devices: ['bin-a'] }],
      metric: 'fill',
      from: day0 + 5 * 3_600_000,
      to: day0 + 3 * DAY + 7 * 3_600_000,
      step: DAY,
    };
    // What the readings say, bucket by bucket: the first and last day partial.
    const expected = (agg: 'mean' | 'count' | 'max' | 'last') =>
      [0, 1, 2, 3].map((d) => {
        const inBucket = readings.filter(
          (r) =>
            r.ts >= Math.max(query.from, day0 + d * DAY) && r.ts < Math.min(query.to, day0 + (d + 1) * DAY),
        );
        const values = inBucket.map((r) => r.metrics.fill as number);
        if (agg === 'count') return values.length;
        if (agg === 'max') return Math.max(...values);
        if (agg === 'last') return values[values.length - 1];
        return values.reduce((a, b) => a + b, 0) / values.length;
      });
    for (const agg of ['mean', 'count', 'max', 'last'] as const) {
      const got = (await store.series({ ...query, agg })).series[0]?.values ?? [];
      expected(agg).forEach((v, i) => expect(got[i], `${agg} ${i}`).toBeCloseTo(v as number, 12));
    }
    // A late reading in a day already aggregated: the next query sees it.
    await store.write([reading('bin-a', day0 + DAY + 30 * 60_000, { fill: 5 })]);
    const max = (await store.series({ ...query, agg: 'max' })).series[0]?.values;
    expect(max?.[1]).toBe(5);
    await store.close();
  });
});

/** A seeded mix of every domain, with re-deliveries, partial re-deliveries and late readings. */
function seededBatches(seed: number): { batches: Reading[][]; devices: { id: string; domain: Domain }[] } {
  const random = seededRandom(seed);
  const devices = [
    ...['bin-1', 'bin-2', 'bin-3'].map((id) => ({ id, domain: 'waste' as const })),
    ...['counter-1', 'counter-2'].map((id) => ({ id, domain: 'mobility' as const })),
    ...['meter-1', 'meter-2'].map((id) => ({ id, domain: 'energy' as const })),
  ];
  const all: Reading[] = [];
  for (let step = 0; step < 600; step++) {
    for (const device of devices) {
      if (random() < 0.1) continue; // a missed reading
      const names = METRICS[device.domain].map((m) => m.name).filter(() => random() < 0.7);
      if (names.length === 0) continue;
      const metrics = Object.fromEntries(names.map((n) => [n, Math.round(random() * 1e6) / 1e3]));
      all.push({
        ...reading(device.id, T0 + step * 5 * MIN, metrics, device.domain),
        site: `site-${device.id}`,
      });
    }
  }
  // Re-deliveries (whole and partial), and a shuffle of arrival order so late readings land in later batches.
  const extra = all
    .filter(() => random() < 0.15)
    .map((r) => {
      const names = Object.keys(r.metrics).filter(() => random() < 0.6);
      return { ...r, metrics: Object.fromEntries(names.map((n) => [n, (r.metrics[n] as number) + 1])) };
    });
  const arrivals = [...all, ...extra].sort(() => random() - 0.5);
  const batches: Reading[][] = [];
  for (let i = 0; i < arrivals.length; i += 257) batches.push(arrivals.slice(i, i + 257));
  return { batches, devices };
}

describe('DuckDB migration from the long layout', () => {
  it('opens a file written by the long layout and answers every series as before', async () => {
    const path = file();
    const { batches, devices } = seededBatches(7);
    await writeLongLayoutFile(path, batches);
    const queries: SeriesQuery[] = [];
    for (const device of devices) {
      for (const metric of METRICS[device.domain].map((m) => m.name)) {
        for (const agg of AGGREGATES) {
          for (const step of [5 * MIN, 3_600_000]) {
            queries.push({
              selectors: [{ key: device.id, devices: [device.id] }],
              metric,
              from: T0,
              to: T0 + 3000 * MIN,
              step,
              agg,
            });
          }
        }
      }
    }
    queries.push({
      selectors: [
        { key: 'bins', devices: ['bin-1', 'bin-2', 'bin-3'] },
        { key: 'one', devices: ['bin-2'] },
      ],
      metric: 'fill',
      from: T0 + 7 * MIN,
      to: T0 + 2000 * MIN,
      step: 3 * 3_600_000,
      agg: 'mean',
    });
    const before = await readLongLayoutFile(path, queries);
    expect(before.rows.length).toBeGreaterThan(5_000);

    const store = new DuckDbStore(path);
    await store.open();
    expect(store.schema?.migrated).toBe(true);
    expect(await store.countRows()).toBe(before.rows.length);
    for (const [i, query] of queries.entries()) {
      const after = await store.series(query);
      const expected = before.series[i] ?? [];
      after.series.forEach((s, k) => {
        const want = expected[k] ?? [];
        expect(s.values.length).toBe(want.length);
        s.values.forEach((v, j) => {
          const w = want[j];
          if (w === null || w === undefined || v === null) expect(v, `${query.metric} ${query.agg}`).toBe(w);
          else
            expect(Math.abs(v - w), `${query.metric} ${query.agg}`).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(w)),
            );
        });
      });
    }
    await store.close();

    // The long view of the migrated file holds exactly the rows the old table held; a second open migrates nothing.
    const again = new DuckDbStore(path);
    await again.open();
    expect(again.schema?.migrated).toBe(false);
    await again.close();
    const view = await readLongLayoutFile(path, []);
    expect(view.rows).toEqual(before.rows);
  }, 60_000);
});
