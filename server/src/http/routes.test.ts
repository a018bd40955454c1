import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { AuthService } from '../auth/auth-service.js';
import { loadRegistry } from '../config/portfolio.js';
import { loadSettings } from '../config/settings.js';
import { DeadLetters } from '../ingest/dead-letters.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { DeviceTracker } from '../live/device-tracker.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { defaultStep } from './series-routes.js';

const registry = loadRegistry('config/portfolio.yaml');
const T0 = Date.UTC(2026, 10, 1);

describe('HTTP routes', () => {
  let app: FastifyInstance;
  const store = new DuckDbStore(':memory:');
  let brokerUp = true;
  let token = '';

  beforeAll(async () => {
    await store.open();
    await store.write(
      [0, 1, 2, 3].map((i) => ({
        device: 'meter-city-hall',
        domain: 'energy' as const,
        site: 'city-hall',
        ts: T0 + i * 900_000,
        seq: i,
        metrics: { energy_kwh: 100 + i, power_kw: 4 + i },
        simulated: false,
        receivedAt: 0,
      })),
    );
    const tracker = new DeviceTracker(registry);
    tracker.restoreLastSeen(await store.lastSeen());
    const deadLetters = new DeadLetters(undefined, 100);
    deadLetters.add(
      'kutaisi/v1/waste/x/telemetry',
      'unknown_device',
      'x is not registered',
      Buffer.from('{"fill":1}'),
      T0,
    );
    const settings = loadSettings({ ADMIN_PASSWORD: 'routes-test-password' });
    app = await buildApp({
      settings,
      auth: await AuthService.open(settings.auth, undefined),
      registry,
      store,
      stats: new IngestStats(undefined),
      deadLetters,
      tracker,
      ingest: { brokerConnected: () => brokerUp, pending: () => 0, storeRetrying: () => false },
      startedAt: Date.now(),
      // The Vite entry page: always present, built or not.
      dashboardDir: 'dashboard',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'routes-test-password' },
    });
    token = login.json<{ token: string }>().token;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('reports health, degraded when the broker is down', async () => {
    expect((await get('/api/health')).json()).toMatchObject({ status: 'ok', broker: 'ok', store: 'ok' });
    brokerUp = false;
    expect((await get('/api/health')).json()).toMatchObject({ status: 'degraded', broker: 'down' });
    brokerUp = true;
  });

  it('lists devices with pilot and arm from the registry', async () => {
    const devices = (await get('/api/devices?domain=energy')).json<
      { id: string; arm: string; kind: string }[]
    >();
    expect(devices).toHaveLength(6);
    expect(devices.find((d) => d.id === 'meter-school-centre')).toMatchObject({
      arm: 'intervention',
      kind: 'meter',
    });
    const one = (await get('/api/devices/meter-city-hall')).json<{
      values: Record<string, { value: number }>;
    }>();
    expect(one.values.energy_kwh?.value).toBe(103);
    expect((await get('/api/devices/meter-nowhere')).statusCode).toBe(404);
    expect((await get('/api/devices/NOT%20AN%20ID')).json()).toMatchObject({
      error: 'bad_parameter',
      parameter: 'id',
    });
  });

  it('serves columnar series for a device, a site and a pilot', async () => {
    const range = `from=${T0}&to=${T0 + 3_600_000}&step=1800000`;
    expect((await get(`/api/series?device=meter-city-hall&metric=power_kw&${range}&agg=max`)).json()).toEqual(
      {
        t: [T0, T0 + 1_800_000],
        step: 1_800_000,
        agg: 'max',
        series: [{ key: 'meter-city-hall', metric: 'power_kw', values: [5, 7] }],
      },
    );
    const site = (await get(`/api/series?site=city-hall&metric=energy_kwh&${range}&agg=last`)).json<{
      series: unknown[];
    }>();
    expect(site.series).toEqual([{ key: 'city-hall', metric: 'energy_kwh', values: [101, 103] }]);
    const pilot = (await get(`/api/series?pilot=school-energy&metric=power_kw&${range}&by=device`)).json<{
      series: { key: string }[];
    }>();
    expect(pilot.series).toHaveLength(6);
  });

  it.each([
    ['/api/series?metric=fill', 'device'],
    ['/api/series?device=meter-city-hall&site=city-hall&metric=power_kw', 'device'],
    ['/api/series?device=meter-city-hall', 'metric'],
    ['/api/series?device=meter-city-hall&metric=fill', 'metric'],
    ['/api/series?device=meter-city-hall&metric=power_kw&from=abc', 'from'],
    ['/api/series?device=meter-city-hall&metric=power_kw&from=10&to=5', 'from'],
    ['/api/series?device=meter-city-hall&metric=power_kw&agg=median', 'agg'],
    ['/api/series?device=meter-city-hall&metric=power_kw&step=500', 'step'],
    [`/api/series?device=meter-city-hall&metric=power_kw&from=0&to=${T0}&step=1000`, 'step'],
    ['/api/ingest/dead-letters?limit=0', 'limit'],
    ['/api/ingest/dead-letters?reason=bogus', 'reason'],
  ])('answers 400 naming the parameter for %s', async (url, parameter) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'bad_parameter', parameter });
  });

  it('answers 404 for an unknown device, site or pilot in a series query', async () => {
    for (const scope of ['device=nope', 'site=nope', 'pilot=nope']) {
      expect((await get(`/api/series?${scope}&metric=fill`)).statusCode).toBe(404);
    }
  });

  it('lists dead letters newest first, ingest stats, OpenAPI docs and the page at /', async () => {
    expect((await get('/api/ingest/dead-letters')).json()).toEqual([
      {
        at: new Date(T0).toISOString(),
        topic: 'kutaisi/v1/waste/x/telemetry',
        reason: 'unknown_device',
        detail: 'x is not registered',
        payload_head: '{"fill":1}',
      },
    ]);
    expect((await get('/api/ingest/stats')).json()).toMatchObject({
      received: 0,
      dead_letters: 1,
      pending: 0,
    });
    expect((await get('/api/docs/json')).json<{ paths: Record<string, unknown> }>().paths).toHaveProperty(
      '/api/series',
    );
    expect((await get('/')).headers['content-type']).toMatch(/text\/html/);
  });

  it('picks a default step that keeps about 300 buckets', () => {
    expect(defaultStep(0, 86_400_000)).toBe(300_000);
    expect(defaultStep(0, 30 * 86_400_000)).toBe(10_800_000);
  });
});
