/**
 * (5) Server RSS with 1,000, 10,000 and 50,000 registered devices, each having sent a reading;
 * (6) /api/series over 30 days of 1-minute data, for one device and for a pilot (12 bins).
 */
import { join } from 'node:path';
import { loadRegistry } from '../server/src/config/portfolio.js';
import type { Reading } from '../server/src/contract/index.js';
import { DuckDbStore } from '../server/src/store/duckdb/duckdb-store.js';
import { percentile, portfolioWithBins, publish, startServer, tempDir } from './env.js';
import { clearSession } from './throughput.js';

export interface Memory {
  devices: number;
  rss_mb: number;
}

export async function memoryWith(brokerUrl: string, totals: number[]): Promise<Memory[]> {
  const own = loadRegistry('config/portfolio.yaml').devices.size;
  const out: Memory[] = [];
  for (const devices of totals) {
    const bins = devices - own;
    const server = await startServer({ MQTT_URL: brokerUrl, PORTFOLIO: portfolioWithBins(bins) });
    try {
      await publish({ url: brokerUrl, bins, count: bins, rate: 0, clock: 'past' });
      const deadline = Date.now() + 60_000;
      while ((await server.stats()).stored < bins && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2000));
      out.push({ devices, rss_mb: server.rssMb() });
    } finally {
      await server.stop();
      await clearSession(brokerUrl, server.clientId);
    }
  }
  return out;
}

export interface QueryTimes {
  scope: string;
  buckets: number;
  requests: number;
  p50_ms: number;
  p99_ms: number;
}

const DAY = 86_400_000;

/** Thirty days of one-minute readings for every bin of the smart-waste pilot, written straight into a DuckDB file. */
async function seedMonth(dataDir: string, now: number): Promise<number> {
  const registry = loadRegistry('config/portfolio.yaml');
  const bins = registry.devicesWhere({ pilot: 'smart-waste' });
  const store = new DuckDbStore(join(dataDir, 'telemetry.duckdb'));
  await store.open();
  const start = now - 30 * DAY;
  let batch: Reading[] = [];
  let total = 0;
  for (let ts = start; ts < now; ts += 60_000) {
    for (const bin of bins) {
      const fill = ((ts / 60_000 + bin.id.length) % 1440) / 1440;
      batch.push({
        device: bin.id,
        domain: 'waste',
        site: bin.site,
        ts,
        seq: 0,
        metrics: { fill, battery_v: 3.6, temp_c: 12 },
        simulated: true,
        receivedAt: ts,
      });
    }
    if (batch.length >= 20_000) {
      total += batch.length;
      await store.write(batch);
      batch = [];
    }
  }
  total += batch.length;
  await store.write(batch);
  await store.close();
  return total;
}

export async function seriesQueries(requests: number): Promise<{ readings: number; results: QueryTimes[] }> {
  const dataDir = tempDir('month');
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const readings = await seedMonth(dataDir, now);
  const server = await startServer({ DATA_DIR: dataDir });
  const results: QueryTimes[] = [];
  try {
    const from = now - 30 * DAY;
    const cases = [
      { scope: 'device bin-nikea-02, step 15 min', query: `device=bin-nikea-02&metric=fill&step=900000` },
      { scope: 'device bin-nikea-02, default step (3 h)', query: `device=bin-nikea-02&metric=fill` },
      {
        scope: 'pilot smart-waste (12 bins), step 15 min',
        query: `pilot=smart-waste&metric=fill&step=900000`,
      },
      {
        scope: 'pilot smart-waste by device, step 1 h',
        query: `pilot=smart-waste&metric=fill&step=3600000&by=device`,
      },
    ];
    for (const c of cases) {
      const times: number[] = [];
      let buckets = 0;
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/series?${c.query}&from=${from}&to=${now}`, {
          headers: server.headers,
        });
        const body = (await response.json()) as { t: number[] };
        times.push(performance.now() - started);
        buckets = body.t.length;
      }
      results.push({
        scope: c.scope,
        buckets,
        requests,
        p50_ms: round(percentile(times, 50)),
        p99_ms: round(percentile(times, 99)),
      });
    }
  } finally {
    await server.stop();
  }
  return { readings, results };
}

const round = (n: number) => Math.round(n * 10) / 10;
