import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { AggregateEntity, Reading } from '../contract/index.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { DeviceTracker } from './device-tracker.js';
import { restoreFromStore } from './engine-restore.js';
import { IndicatorEngine } from './indicator-engine.js';
import { PilotTrends, TREND_STEP_MS } from './pilot-trend.js';

const STEP = TREND_STEP_MS;
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

describe('PilotTrends', () => {
  it('keeps one point per 15-minute bucket for a day, the newest following the live value', () => {
    const trends = new PilotTrends(STEP, 4);
    const first = trends.sample('p', 0.4, T0 + 1_000);
    trends.sample('p', 0.5, T0 + 60_000);
    // An entity already handed out keeps its points.
    expect(first).toEqual([{ t: T0, v: 0.4 }]);
    expect(trends.sample('p', null, T0 + 120_000)).toEqual([{ t: T0, v: 0.5 }]);
    for (let i = 1; i <= 4; i++) trends.sample('p', i, T0 + i * STEP);
    expect(trends.sample('p', null, T0 + 4 * STEP).map((p) => p.v)).toEqual([1, 2, 3, 4]);
  });

  it('counts passages per bucket, scaling the bucket under way to a whole one', () => {
    const trends = new PilotTrends(STEP, 96);
    expect(trends.passagesPerBucket('m', T0)).toBeNull();
    trends.count('m', T0 + 3_000, 5);
    trends.count('m', T0 + 6_000, 5);
    // Ten in the first minute (the least it scales from): 150 in a quarter of an hour.
    expect(trends.passagesPerBucket('m', T0 + 30_000)).toBeCloseTo(150);
    expect(trends.passagesPerBucket('m', T0 + STEP / 3)).toBeCloseTo(30);
    // A late reading for the past bucket does not move the new one.
    trends.count('m', T0 + STEP + 3_000, 7);
    trends.count('m', T0 + 9_000, 100);
    expect(trends.passagesPerBucket('m', T0 + STEP + STEP / 2)).toBeCloseTo(14);
    // No reading yet in a bucket: no value (the line keeps its last point rather than dip to zero).
    expect(trends.passagesPerBucket('m', T0 + 3 * STEP)).toBeNull();
  });
});

describe('a pilot sparkline after a restart', () => {
  it('holds a day of 15-minute points from the store, then follows the live readings', async () => {
    const registry = loadRegistry('config/portfolio.yaml');
    const store = new DuckDbStore(':memory:');
    await store.open();
    const now = T0 + 7 * 60_000;
    const bins = registry.portfolio.devices.filter((d) => d.domain === 'waste');
    const counters = registry.portfolio.devices.filter((d) => d.domain === 'mobility');
    const readings: Reading[] = [];
    // 25 hours of readings every 15 minutes: fill rising by 0.01 a step, 8 pedestrians in and out per counter.
    for (let ts = now - 25 * 3_600_000; ts <= now; ts += STEP) {
      const k = Math.round((ts - (now - 25 * 3_600_000)) / STEP);
      for (const d of bins)
        readings.push({
          device: d.id,
          domain: 'waste',
          site: d.site,
          ts,
          seq: k,
          metrics: { fill: 0.01 * k },
          simulated: true,
          receivedAt: ts,
        });
      for (const d of counters)
        readings.push({
          device: d.id,
          domain: 'mobility',
          site: d.site,
          ts,
          seq: k,
          metrics: { pedestrian_in: 4, pedestrian_out: 4, interval_s: 900 },
          simulated: true,
          receivedAt: ts,
        });
    }
    await store.write(readings);
    const tracker = new DeviceTracker(registry);
    const engine = new IndicatorEngine(registry, tracker, now);
    await restoreFromStore(engine, store, registry.devices.values(), await store.lastSeen(), now);
    engine.touchGroups();
    const pilot = (id: string) =>
      engine.takeChanges(now).find((e): e is AggregateEntity => e.key === `pilot:${id}`)?.trend ?? [];
    const wastePilot = bins[0]?.pilot ?? '';
    const mobilityPilot = counters[0]?.pilot ?? '';
    const waste = pilot(wastePilot);
    expect(waste).toHaveLength(96);
    expect(waste.at(-1)?.t).toBe(Math.floor(now / STEP) * STEP);
    expect(waste.at(-2)?.v).toBeCloseTo(0.01 * 99);
    engine.touchGroups();
    const passages = pilot(mobilityPilot);
    expect(passages).toHaveLength(96);
    // Each whole bucket: one reading of 8 passages per counter.
    const mine = counters.filter((d) => d.pilot === mobilityPilot);
    expect(passages.at(-2)?.v).toBe(8 * mine.length);
    // Live: the bucket under way adds the new counts to what the store had, scaled to a whole bucket.
    // The store's reading at `now` opened the bucket under way: 8 passages per counter so far.
    const soFar = 8 * mine.length;
    expect(passages.at(-1)?.v).toBeCloseTo((soFar * STEP) / (now - Math.floor(now / STEP) * STEP));
    const at = now + 3_000;
    const live: Reading = {
      device: mine[0]?.id ?? '',
      domain: 'mobility',
      site: mine[0]?.site ?? '',
      ts: at,
      seq: 1_000,
      metrics: { bicycle_in: 6, interval_s: 3 },
      simulated: true,
      receivedAt: at,
    };
    tracker.onReading(live);
    engine.onReading(live);
    const followed = engine
      .takeChanges(at)
      .find((e): e is AggregateEntity => e.key === `pilot:${mobilityPilot}`);
    expect(followed?.trend?.at(-1)?.v).toBeCloseTo(
      ((soFar + 6) * STEP) / (at - Math.floor(at / STEP) * STEP),
    );
    expect(followed?.trend).toHaveLength(96);
    await store.close();
  });
});
