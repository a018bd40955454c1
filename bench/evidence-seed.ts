/**
 * The evidence section's stores, holding the year of evidence-fleet.ts. Writing a year takes many
 * minutes, so the written store (the DuckDB file, or influxd's data folder) is kept under
 * bench/.cache and reused while nothing the writing depends on changed: the key hashes the fleet,
 * the simulators, the contract, the ingest's classification and the stores' write paths.
 * `--fresh` ignores the cache. The daily rollups and the series aggregates are then built at once
 * over the whole year and timed, every run (a running server keeps them up to date as readings
 * arrive; a year written at once is rolled up at once).
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Portfolio } from '../server/src/config/portfolio-schema.js';
import { Registry } from '../server/src/config/registry.js';
import { loadSettings } from '../server/src/config/settings.js';
import { LocalCalendar } from '../server/src/calendar/city-calendar.js';
import { KpiRollup } from '../server/src/experiments/rollup/kpi-rollup.js';
import { withDefaults } from '../server/src/experiments/settings.js';
import { DuckDbStore } from '../server/src/store/duckdb/duckdb-store.js';
import { InfluxStore } from '../server/src/store/influx/influx-store.js';
import type { TelemetryStore } from '../server/src/store/port.js';
import { createInfluxd, type Influxd } from '../test/helpers/influxd.js';
import { seedYear } from './evidence-fleet.js';

export interface SeedResult {
  readings: number;
  /** Writing the year through store.write (when it was written in this run; else from the cache's record). */
  seconds: number;
  cached: boolean;
  /** Building the daily rollups over the whole year at once, and the series aggregates (DuckDB). */
  rollups_s: number;
  aggregates_s: number | null;
}

export interface EvidenceStore {
  kind: 'duckdb' | 'influxdb';
  seed: SeedResult;
  /** The server's environment for this store. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const INFLUX_DATABASE = 'evidence';
const round = (s: number) => Math.round(s * 10) / 10;

export function sourceHash(kind: string): string {
  const hash = createHash('sha256');
  hash.update(kind);
  const folders = ['simulators/src', 'server/src/contract', 'server/src/ingest', 'server/src/config'];
  const files = [
    'config/portfolio.yaml',
    'bench/evidence-fleet.ts',
    ...(kind === 'duckdb'
      ? ['server/src/store/duckdb/wide-write.ts', 'server/src/store/duckdb/wide-schema.ts']
      : ['server/src/store/influx/line-protocol.ts', 'server/src/store/influx/influx-rollups.ts']),
  ];
  for (const folder of folders)
    for (const file of readdirSync(folder).sort())
      if (file.endsWith('.ts') && !file.endsWith('.test.ts')) files.push(join(folder, file));
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

async function rollUp(store: TelemetryStore, portfolio: Portfolio): Promise<number> {
  const started = Date.now();
  const registry = new Registry(portfolio);
  await KpiRollup.of(store, registry, new LocalCalendar(portfolio.timezone), withDefaults())?.refresh();
  return round((Date.now() - started) / 1000);
}

/** What was written, from the cache or by writing it now into `open()`'s store, whose files `save()` keeps. */
async function written(
  kind: string,
  fresh: boolean,
  restore: (cached: string) => void,
  write: () => Promise<number>,
  save: (cached: string) => void,
): Promise<{ readings: number; seconds: number; cached: boolean }> {
  const cacheDir = 'bench/.cache';
  const cached = join(cacheDir, `evidence-${kind}-${sourceHash(kind)}`);
  if (!fresh && existsSync(`${cached}.json`)) {
    restore(cached);
    return {
      ...(JSON.parse(readFileSync(`${cached}.json`, 'utf8')) as { readings: number; seconds: number }),
      cached: true,
    };
  }
  const started = Date.now();
  const readings = await write();
  const result = { readings, seconds: round((Date.now() - started) / 1000) };
  mkdirSync(cacheDir, { recursive: true });
  for (const old of readdirSync(cacheDir))
    if (old.startsWith(`evidence-${kind}-`)) rmSync(join(cacheDir, old), { recursive: true });
  save(`${cached}.tmp`);
  renameSync(`${cached}.tmp`, cached);
  writeFileSync(`${cached}.json`, JSON.stringify(result));
  return { ...result, cached: false };
}

export async function duckDbEvidence(
  dataDir: string,
  portfolio: Portfolio,
  from: number,
  to: number,
  fresh: boolean,
): Promise<EvidenceStore> {
  const file = join(dataDir, 'telemetry.duckdb');
  const store = () => new DuckDbStore(file);
  const writes = await written(
    'duckdb',
    fresh,
    (cached) => cpSync(cached, file),
    async () => {
      const s = store();
      await s.open();
      const n = await seedYear(s, portfolio, from, to);
      await s.close();
      return n;
    },
    (target) => cpSync(file, target),
  );
  const s = store();
  await s.open();
  // The aggregates start building when the store opens; this waits for them (and times them) first.
  const started = Date.now();
  await s.refreshAggregates();
  const aggregates = round((Date.now() - started) / 1000);
  const rollups = await rollUp(s, portfolio);
  await s.close();
  return {
    kind: 'duckdb',
    seed: { ...writes, rollups_s: rollups, aggregates_s: aggregates },
    env: { DATA_DIR: dataDir },
    stop: async () => undefined,
  };
}

/** A private influxd (Debian's 1.x) whose data folder is cached like the DuckDB file. */
export async function influxEvidence(
  portfolio: Portfolio,
  from: number,
  to: number,
  fresh: boolean,
): Promise<EvidenceStore> {
  const influxd: Influxd = await createInfluxd();
  const folders = ['meta', 'data', 'wal'];
  const settings = () => loadSettings({ INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DATABASE }).influx;
  const open = async () => {
    const s = new InfluxStore(settings() as NonNullable<ReturnType<typeof settings>>);
    await s.open();
    return s;
  };
  const writes = await written(
    'influxdb',
    fresh,
    (cached) => {
      for (const f of folders) cpSync(join(cached, f), join(influxd.dir, f), { recursive: true });
    },
    async () => {
      await influxd.start();
      const s = await open();
      const n = await seedYear(s, portfolio, from, to);
      await s.close();
      await influxd.stop();
      return n;
    },
    (target) => {
      for (const f of folders) cpSync(join(influxd.dir, f), join(target, f), { recursive: true });
    },
  );
  await influxd.start();
  const s = await open();
  const rollups = await rollUp(s, portfolio);
  await s.close();
  return {
    kind: 'influxdb',
    seed: { ...writes, rollups_s: rollups, aggregates_s: null },
    env: { INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DATABASE },
    stop: async () => {
      await influxd.stop();
      rmSync(influxd.dir, { recursive: true, force: true });
    },
  };
}
