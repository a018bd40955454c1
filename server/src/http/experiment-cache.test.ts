import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import { LocalCalendar } from '../calendar/city-calendar.js';
import { EffectsCache } from '../experiments/effects-cache.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { TelemetryStore } from '../store/port.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { experimentRoutes } from './experiment-routes.js';

const registry = loadRegistry('config/portfolio.yaml');
const calendar = new LocalCalendar(registry.portfolio.timezone);

/** The store with a count of the reads that reach it. */
function countingStore(inner: TelemetryStore): { store: TelemetryStore; reads: () => number } {
  let reads = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'series' || property === 'latest') reads += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, reads: () => reads };
}

describe('experiment routes with the effects cache', () => {
  let app: FastifyInstance;
  const duck = new DuckDbStore(':memory:');
  const { store, reads } = countingStore(duck);
  const cache = new EffectsCache(registry);
  const to = calendar.startOf('2026-10-01');
  const inside = calendar.startOf('2026-09-20') + 3_600_000;

  beforeAll(async () => {
    await duck.open();
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    installErrorHandler(app);
    await app.register(experimentRoutes({ registry, store, effectsCache: cache } as unknown as AppContext));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await duck.close();
  });

  it('answers a repeated request, and the export of the same window, without touching the store', async () => {
    const first = await app.inject(`/api/experiments/smart-collection/effects?to=${to}`);
    expect(first.statusCode).toBe(200);
    const afterFirst = reads();
    expect(afterFirst).toBeGreaterThan(0);
    const second = await app.inject(`/api/experiments/smart-collection/effects?to=${to}`);
    expect(second.json()).toEqual(first.json());
    const csv = await app.inject(`/api/experiments/smart-collection/export?format=csv&to=${to}`);
    expect(csv.statusCode).toBe(200);
    expect(reads()).toBe(afterFirst);
  });

  it('reads the store again once a reading inside the window is stored, not for one outside it', async () => {
    const reading = {
      device: 'bin-nikea-01',
      domain: 'waste' as const,
      site: 'nikea',
      ts: inside,
      seq: 1,
      metrics: { fill: 0.5 },
      simulated: false,
      receivedAt: inside,
    };
    cache.onStored([
      { ...reading, ts: to + 60_000 },
      { ...reading, device: 'counter-rustaveli-ave' },
    ]);
    let before = reads();
    await app.inject(`/api/experiments/smart-collection/effects?to=${to}`);
    expect(reads()).toBe(before);
    cache.onStored([reading]);
    before = reads();
    await app.inject(`/api/experiments/smart-collection/effects?to=${to}`);
    expect(reads()).toBeGreaterThan(before);
  });
});
