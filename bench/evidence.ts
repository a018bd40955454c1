/**
 * (7) Evidence at city scale: a year of 500 bins, 50 counters and 100 meters (evidence-seed.ts),
 * served by the server as a child process. Per experiment, GET /api/experiments/:id/effects cold
 * (a window the effects cache has not seen: the reporting period ending 0, 1, 2 … days before the
 * data's end, each computed from the store) and warm (the same window again, from the cache); and
 * each pilot's year of series with a daily step.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCalendar } from '../server/src/calendar/city-calendar.js';
import { CITY_FLEET, EVIDENCE_FROM, EVIDENCE_TO, cityPortfolio } from './evidence-fleet.js';
import { duckDbEvidence, influxEvidence, type SeedResult } from './evidence-seed.js';
import { percentile, startServer, tempDir, type ServerProcess } from './env.js';

export interface Timing {
  requests: number;
  p50_ms: number;
  p99_ms: number;
}

export interface EvidenceResult {
  store: string;
  fleet: Record<string, number>;
  from: string;
  to: string;
  seed: SeedResult;
  /** The server's start-up on this file (restoring live state reads the whole year once). */
  startup_s: number;
  effects: { experiment: string; effects: number; cold: Timing; warm: Timing }[];
  series: { pilot: string; metric: string; agg: string; buckets: number; devices: number; timing: Timing }[];
  /** The server's account afterwards (GET /api/experiments/cache): cache hits, rollup use. */
  served: unknown;
}

const DAY = 86_400_000;
const round = (n: number) => Math.round(n * 10) / 10;
const timing = (times: number[]): Timing => ({
  requests: times.length,
  p50_ms: round(percentile(times, 50)),
  p99_ms: round(percentile(times, 99)),
});

async function timed(server: ServerProcess, path: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers: server.headers });
  const body: unknown = await response.json();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms, body };
}

const SERIES = [
  { pilot: 'smart-waste', metric: 'fill', agg: 'mean' },
  { pilot: 'active-mobility', metric: 'pedestrian_in', agg: 'sum' },
  { pilot: 'school-energy', metric: 'power_kw', agg: 'mean' },
];

export async function evidence(options: {
  cold: number;
  warm: number;
  series: number;
  fresh: boolean;
  store: 'duckdb' | 'influxdb';
}): Promise<EvidenceResult> {
  const portfolio = cityPortfolio();
  const calendar = new LocalCalendar(portfolio.timezone);
  const from = calendar.startOf(EVIDENCE_FROM);
  const to = calendar.startOf(EVIDENCE_TO);
  const dataDir = tempDir('evidence');
  process.stderr.write(
    'bench: evidence: a year of the city fleet through store.write (cached in bench/.cache) …\n',
  );
  const store =
    options.store === 'duckdb'
      ? await duckDbEvidence(dataDir, portfolio, from, to, options.fresh)
      : await influxEvidence(portfolio, from, to, options.fresh);
  const seed = store.seed;
  const portfolioFile = join(tempDir('evidence-portfolio'), 'portfolio.json');
  writeFileSync(portfolioFile, JSON.stringify(portfolio));
  const started = Date.now();
  const server = await startServer({ DATA_DIR: dataDir, PORTFOLIO: portfolioFile, ...store.env }).catch(
    async (error: unknown) => {
      await store.stop();
      throw error;
    },
  );
  const startup = (Date.now() - started) / 1000;
  try {
    // The server's first rollup refresh (nothing to do on a file rolled up when seeded) before anything is timed.
    for (
      const until = Date.now() + 600_000;
      Date.now() < until;
      await new Promise((r) => setTimeout(r, 500))
    ) {
      const { body } = await timed(server, '/api/experiments/cache');
      if ((body as { rollups: { last_refresh: unknown } | null }).rollups?.last_refresh) break;
    }
    const effects: EvidenceResult['effects'] = [];
    for (const pilot of portfolio.pilots) {
      for (const experiment of pilot.experiments) {
        const path = (end: number) => `/api/experiments/${experiment.id}/effects?to=${end}`;
        const cold: number[] = [];
        let count = 0;
        for (let k = 0; k < options.cold; k += 1) {
          const { ms, body } = await timed(server, path(to - k * DAY));
          cold.push(ms);
          count = (body as { effects: unknown[] }).effects.length;
        }
        const warm: number[] = [];
        for (let k = 0; k < options.warm; k += 1) warm.push((await timed(server, path(to))).ms);
        effects.push({ experiment: experiment.id, effects: count, cold: timing(cold), warm: timing(warm) });
        process.stderr.write(`bench: evidence: ${JSON.stringify(effects.at(-1))}\n`);
      }
    }
    const series: EvidenceResult['series'] = [];
    for (const s of SERIES) {
      const times: number[] = [];
      let buckets = 0;
      for (let k = 0; k < options.series; k += 1) {
        const { ms, body } = await timed(
          server,
          `/api/series?pilot=${s.pilot}&metric=${s.metric}&agg=${s.agg}&from=${from}&to=${to}&step=${DAY}`,
        );
        times.push(ms);
        buckets = (body as { t: number[] }).t.length;
      }
      const devices = portfolio.devices.filter((d) => d.pilot === s.pilot).length;
      series.push({ ...s, buckets, devices, timing: timing(times) });
    }
    const cache = (await timed(server, '/api/experiments/cache')).body;
    return {
      served: cache,
      store: store.kind,
      fleet: CITY_FLEET,
      from: EVIDENCE_FROM,
      to: EVIDENCE_TO,
      seed,
      startup_s: round(startup),
      effects,
      series,
    };
  } finally {
    await server.stop();
    await store.stop();
  }
}
