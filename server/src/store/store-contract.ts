/**
 * The behaviour every TelemetryStore must show. DuckDB runs it always; the
 * InfluxDB adapter runs the same suite whenever INFLUX_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../contract/index.js';
import type { TelemetryStore } from './port.js';

const T0 = Date.UTC(2026, 8, 1); // aligned to every step used below
const MIN = 60_000;

function waste(device: string, ts: number, fill: number, site = 'site-a'): Reading {
  return {
    device,
    domain: 'waste',
    site,
    ts,
    seq: ts / MIN,
    metrics: { fill, battery_v: 3.6 },
    simulated: false,
    receivedAt: ts,
  };
}

export function describeStoreContract(name: string, createStore: () => Promise<TelemetryStore>): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let store: TelemetryStore;
    // Unique device ids per run keep the suite independent of what a shared server already holds.
    const run = Math.random().toString(36).slice(2, 8);
    const a = `contract-a-${run}`;
    const b = `contract-b-${run}`;

    beforeAll(async () => {
      store = await createStore();
      await store.open();
      await store.write([
        waste(a, T0 + 0 * MIN, 0.1),
        waste(a, T0 + 1 * MIN, 0.3),
        waste(a, T0 + 2 * MIN, 0.2),
        waste(a, T0 + 10 * MIN, 0.6),
        waste(b, T0 + 1 * MIN, 0.5),
        waste(b, T0 + 11 * MIN, 0.9, 'site-b'),
      ]);
    });
    afterAll(async () => {
      await store.close();
    });

    it('stores one row per metric and reports ok health', async () => {
      expect(await store.countRows(a)).toBe(8);
      expect(await store.countRows(b)).toBe(4);
      expect(store.health()).toBe('ok');
    });

    it('stores a reading without seq (a sensor that sends no counter)', async () => {
      const c = `contract-c-${run}`;
      await store.write([{ ...waste(c, T0, 0.4), seq: undefined, metrics: { fill: 0.4 } }]);
      expect(await store.countRows(c)).toBe(1);
      expect((await store.latest([c])).get(c)).toEqual({ fill: { value: 0.4, ts: T0 } });
    });

    it('is idempotent on (device, metric, ts): re-delivery and in-batch duplicates never double-count', async () => {
      const again = await store.write([waste(a, T0, 0.1), waste(a, T0, 0.1), waste(a, T0 + 1 * MIN, 0.3)]);
      // Every row is accounted for; only DuckDB can tell new rows from re-deliveries (InfluxDB overwrites silently).
      expect(again.inserted + again.duplicates).toBe(6);
      expect(await store.countRows(a)).toBe(8);
    });

    it('aggregates into epoch-aligned buckets, with null for empty buckets and `to` exclusive', async () => {
      const base = {
        selectors: [{ key: a, devices: [a] }],
        metric: 'fill',
        from: T0 + 30_000,
        to: T0 + 15 * MIN,
        step: 5 * MIN,
      };
      const mean = await store.series({ ...base, agg: 'mean' });
      expect(mean.t).toEqual([T0, T0 + 5 * MIN, T0 + 10 * MIN]);
      // from is inclusive at T0+30 s, so the reading at T0 is outside the range.
      expect(mean.series).toEqual([{ key: a, metric: 'fill', values: [0.25, null, 0.6] }]);

      const whole = { ...base, from: T0, to: T0 + 10 * MIN };
      expect((await store.series({ ...whole, agg: 'mean' })).series[0]?.values[0]).toBeCloseTo(0.2, 12);
      expect((await store.series({ ...whole, agg: 'min' })).series[0]?.values).toEqual([0.1, null]);
      expect((await store.series({ ...whole, agg: 'max' })).series[0]?.values).toEqual([0.3, null]);
      expect((await store.series({ ...whole, agg: 'sum' })).series[0]?.values[0]).toBeCloseTo(0.6, 12);
      expect((await store.series({ ...whole, agg: 'last' })).series[0]?.values).toEqual([0.2, null]);
      expect((await store.series({ ...whole, agg: 'count' })).series[0]?.values[0]).toBe(3);
    });

    it('pools several devices under one key and keeps separate selectors apart', async () => {
      const query = { metric: 'fill', from: T0, to: T0 + 15 * MIN, step: 5 * MIN, agg: 'max' as const };
      const pooled = await store.series({ ...query, selectors: [{ key: 'both', devices: [a, b] }] });
      expect(pooled.series).toEqual([{ key: 'both', metric: 'fill', values: [0.5, null, 0.9] }]);
      const split = await store.series({
        ...query,
        selectors: [
          { key: a, devices: [a] },
          { key: b, devices: [b] },
        ],
      });
      expect(split.series.map((s) => s.values)).toEqual([
        [0.3, null, 0.6],
        [0.5, null, 0.9],
      ]);
    });

    it('returns the latest value of each metric and the newest time per device', async () => {
      const latest = await store.latest([a, b, `missing-${run}`]);
      expect(latest.get(a)).toEqual({
        fill: { value: 0.6, ts: T0 + 10 * MIN },
        battery_v: { value: 3.6, ts: T0 + 10 * MIN },
      });
      expect(latest.get(b)?.fill).toEqual({ value: 0.9, ts: T0 + 11 * MIN });
      expect(latest.has(`missing-${run}`)).toBe(false);
      const seen = await store.lastSeen();
      expect(seen.get(a)).toBe(T0 + 10 * MIN);
      expect(seen.get(b)).toBe(T0 + 11 * MIN);
    });
  });
}
