import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { experimentRoutes } from './experiment-routes.js';

const registry = loadRegistry('config/portfolio.yaml');

describe('experiment routes', () => {
  let app: FastifyInstance;
  const store = new DuckDbStore(':memory:');

  beforeAll(async () => {
    await store.open();
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    installErrorHandler(app);
    // The routes read only the registry and the store.
    await app.register(experimentRoutes({ registry, store } as unknown as AppContext));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('lists the portfolio experiments', async () => {
    const res = await app.inject('/api/experiments');
    expect(res.statusCode).toBe(200);
    const list = res.json<{ id: string; pilot: string; domain: string; kpis: string[] }[]>();
    expect(list.map((e) => e.id)).toEqual(['smart-collection', 'rustaveli-bike-lane', 'school-retrofit']);
    expect(list[2]).toMatchObject({ pilot: 'school-energy', domain: 'energy', start: '2026-09-15' });
    expect(list[0]?.kpis).toContain('wasted_trip_share');
  });

  it('answers 404 for an unknown experiment and 400 for a bad range', async () => {
    expect((await app.inject('/api/experiments/nope/effects')).statusCode).toBe(404);
    const bad = await app.inject('/api/experiments/smart-collection/effects?from=2000&to=1000');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_parameter', parameter: 'from' });
  });

  it('reports every KPI as not estimated when there is no data, never as zero', async () => {
    const to = Date.parse('2026-10-01T00:00:00+04:00');
    const res = await app.inject(`/api/experiments/rustaveli-bike-lane/effects?to=${to}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      effects: unknown[];
      not_estimated: { kpi: string }[];
      data_quality: Record<string, { coverage: number }[]>;
    }>();
    expect(body.effects).toEqual([]);
    expect(body.not_estimated.map((k) => k.kpi)).toEqual([
      'daily_bicycle',
      'daily_escooter',
      'daily_pedestrian',
      'modal_split_active',
    ]);
    expect(body.data_quality.daily_bicycle?.every((q) => q.coverage === 0)).toBe(true);
  });

  it('exports CSV with a header, and a zip archive', async () => {
    const res = await app.inject('/api/experiments/school-retrofit/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body.split('\r\n')[0]).toBe('date,site,arm,period,kpi,value,numerator,denominator');
    const zip = await app.inject('/api/experiments/school-retrofit/export?format=zip');
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
