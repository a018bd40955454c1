/**
 * Property-based fuzz of the read API: fast-check builds query strings and path parameters for every
 * GET route the OpenAPI document lists (http-requests.ts) and sends them with app.inject to the real
 * server's app (buildApp, through the runtime, over a store holding two simulated days).
 * Never a 5xx; every 4xx is JSON with an error code and a message; no body carries a stack trace.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { fuzzRuns, fuzzSeed } from './fuzz-inputs.js';
import { requestFor, type Parameter, type Pools, type Route } from './http-requests.js';

const SEED = fuzzSeed(20_260_503);
const RUNS = fuzzRuns(1000);
const DAY = 86_400_000;

/** The API documentation itself is left out: a static bundle, not a query surface. */
const SKIPPED = (path: string) => path.startsWith('/api/docs');
/** A stack frame or a source path in a body means internals leaked. */
const LEAK = /\n\s+at \S+ \(|\bat .+:\d+:\d+\)|node_modules|\/work\/|\/src\/.+\.ts\b/;

/** Requests that once crashed the server or answered 500; found by this fuzz and kept as fixed cases. */
const REGRESSIONS = [
  // to = 1e23 passed the integer check; `t += step` no longer advanced and the process died out of memory.
  '/api/series?device=meter-city-hall&metric=power_kw&to=99999999999999999999999',
  // The calendar threw RangeError on a time past year 275760 (500).
  '/api/experiments/report?to=99999999999999999999999',
  '/api/experiments/smart-collection/effects?to=99999999999999999999999',
  // A reporting period up to year 9999: minutes of work, then "Invalid array length" (500).
  '/api/experiments/school-retrofit/export?format=csv&to=253402300799999',
];

describe(`HTTP query fuzz (seed ${SEED})`, () => {
  let server: ServerUnderTest;
  let routes: Route[];
  let pools: Pools;
  let token = '';
  /** The one place credentials come from: the admin's session, or none for an anonymous request. */
  const authHeaders = (anonymous: boolean): Record<string, string> =>
    anonymous ? {} : { authorization: `Bearer ${token}` };

  const send = async (url: string, anonymous = false) => {
    const response = await server.runtime.app.inject({ method: 'GET', url, headers: authHeaders(anonymous) });
    const where = `GET ${url.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, where).toBeLessThan(500);
    expect(LEAK.test(response.body), `internals leaked: ${where}`).toBe(false);
    if (response.statusCode >= 400) {
      expect(response.headers['content-type'], where).toMatch(/application\/json/);
      const body = response.json<{ error?: unknown; message?: unknown }>();
      expect(typeof body.error === 'string' && body.error.length > 0, `error code: ${where}`).toBe(true);
      expect(typeof body.message === 'string' && body.message.length > 0, `message: ${where}`).toBe(true);
    }
    return response.statusCode;
  };

  beforeAll(async () => {
    server = await startServerUnderTest(undefined, { LOG_LEVEL: 'fatal', RATE_LIMIT_MAX: '0' });
    token = await server.tokenFor('admin');
    // Two simulated days with faults, so that series, alerts, plans, effects and dead letters have data.
    const to = new Date(Math.floor(Date.now() / DAY) * DAY).toISOString().slice(0, 10);
    const from = new Date(Date.parse(to) - 2 * DAY).toISOString().slice(0, 10);
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', 'simulators/src/cli.ts', '--from', from, '--to', to, '--seed', '5'],
        ...['--faults', 'malformed=0.02,spike=0.01,duplicate=0.01', '--mqtt', server.runtime.mqttUrl],
        ...['--topic-root', server.topicRoot],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    expect((await once(child, 'exit'))[0]).toBe(0);
    await waitFor('the ingest to drain', async () =>
      (await server.get<{ pending: number }>('/api/ingest/stats')).pending === 0 ? true : undefined,
    );

    type Doc = { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const doc = await server.get<Doc>('/api/docs/json');
    routes = Object.entries(doc.paths)
      .filter(([path, ops]) => ops.get && !SKIPPED(path))
      .map(([path, ops]) => ({ path, parameters: ops.get?.parameters ?? [] }));
    const devices = (await server.get<{ id: string }[]>('/api/devices')).map((d) => d.id);
    const experiments = (await server.get<{ id: string }[]>('/api/experiments')).map((e) => e.id);
    const alerts = (await server.get<{ id: string }[]>('/api/alerts')).map((a) => a.id).slice(0, 20);
    pools = {
      now: Date.now(),
      ids: {
        device: devices,
        site: ['nikea', 'city-hall', 'central-square', 'nowhere'],
        pilot: ['smart-waste', 'active-mobility', 'school-energy', 'nope'],
        metric: ['fill', 'power_kw', 'energy_kwh', 'bicycle_in', 'interval_s', 'nope'],
        '/api/devices/{id} id': [...devices, 'meter-nowhere'],
        '/api/experiments/{id}/effects id': [...experiments, 'nope'],
        '/api/experiments/{id}/export id': [...experiments, 'nope'],
        '/api/alerts/{id} id': [...alerts, 'nope'],
        username: ['admin', 'nobody'],
      },
    };
  }, 120_000);
  afterAll(async () => {
    await server?.runtime.stop();
  });

  it('refuses the requests that once crashed the server, with a 400 that names the parameter', async () => {
    for (const url of REGRESSIONS) expect(await send(url), url).toBe(400);
  });

  it(
    `answers ${RUNS} fuzzed GET requests without a 5xx, every 4xx with a JSON reason`,
    { timeout: 180_000 },
    async () => {
      const byStatus = new Map<number, number>();
      const spent = new Map<string, number>();
      const started = Date.now();
      const request = fc
        .tuple(fc.integer({ min: 0, max: routes.length - 1 }), fc.integer({ min: 0, max: 9 }))
        .chain(([i, dice]) => {
          const route = routes[i] as Route;
          return requestFor(route, pools).map((url) => ({ route: route.path, url, anonymous: dice === 0 }));
        });
      await fc.assert(
        fc.asyncProperty(request, async ({ route, url, anonymous }) => {
          const t0 = performance.now();
          const status = await send(url, anonymous);
          spent.set(route, (spent.get(route) ?? 0) + performance.now() - t0);
          byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
      const costly = [...spent].sort(([, a], [, b]) => b - a).slice(0, 3);
      console.log(
        `fuzz http query (seed ${SEED}): ${RUNS} requests over ${spent.size} of ${routes.length} GET routes in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s (most time: ${costly.map(([r, ms]) => `${r} ${(ms / 1000).toFixed(1)} s`).join(', ')}); ` +
          `by status {${statuses.join(', ')}}; 5xx 0, 4xx without a JSON reason 0, leaked stack traces 0`,
      );
      expect(spent.size).toBe(routes.length);
      expect(byStatus.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
      expect(byStatus.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    },
  );
});
