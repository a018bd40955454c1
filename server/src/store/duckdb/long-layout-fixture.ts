/**
 * Test fixture: the store as it was before the wide table (a row per metric, keyed
 * (device, metric, ts)), written and read by that version's own SQL. Tests write files with it
 * to check the migration, and read effects and series through it to check that the wide layout
 * and the rollups answer the same.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Reading } from '../../contract/index.js';
import {
  bucketStarts,
  type LatestValue,
  type SeriesQuery,
  type SeriesResult,
  type TelemetryStore,
  type WriteResult,
} from '../port.js';
import { sqlStringList } from '../sql-safe.js';
import { aggregateSql } from './aggregate-sql.js';

const LONG_SCHEMA = `
CREATE TABLE IF NOT EXISTS readings (
  device VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  ts BIGINT NOT NULL,
  value DOUBLE NOT NULL,
  site VARCHAR NOT NULL,
  domain VARCHAR NOT NULL,
  seq BIGINT,
  simulated BOOLEAN NOT NULL,
  PRIMARY KEY (device, metric, ts)
);`;
const STAGING = `CREATE TEMP TABLE staging (
  device VARCHAR, metric VARCHAR, ts BIGINT, value DOUBLE, site VARCHAR, domain VARCHAR, seq BIGINT, simulated BOOLEAN
)`;

export interface LongRow {
  device: string;
  metric: string;
  ts: number;
  value: number;
}

export class LongLayoutStore implements TelemetryStore {
  readonly kind = 'duckdb-long-layout';
  private instance: DuckDBInstance | undefined;
  private connection: DuckDBConnection | undefined;

  constructor(private readonly path: string) {}

  private get c(): DuckDBConnection {
    if (!this.connection) throw new Error('not open');
    return this.connection;
  }

  async open(): Promise<void> {
    this.instance = await DuckDBInstance.create(this.path);
    this.connection = await this.instance.connect();
    await this.c.run(LONG_SCHEMA);
  }

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    await this.c.run(`DROP TABLE IF EXISTS staging; ${STAGING}`);
    const appender = await this.c.createAppender('staging', 'main', 'temp');
    let rows = 0;
    for (const r of readings) {
      for (const [metric, value] of Object.entries(r.metrics)) {
        appender.appendVarchar(r.device);
        appender.appendVarchar(metric);
        appender.appendBigInt(BigInt(r.ts));
        appender.appendDouble(value);
        appender.appendVarchar(r.site);
        appender.appendVarchar(r.domain);
        if (r.seq === undefined) appender.appendNull();
        else appender.appendBigInt(BigInt(r.seq));
        appender.appendBoolean(r.simulated);
        appender.endRow();
        rows += 1;
      }
    }
    appender.closeSync();
    const result = await this.c.run(
      `INSERT INTO readings
         SELECT device, metric, ts, any_value(value), any_value(site), any_value(domain), any_value(seq), bool_or(simulated)
         FROM staging GROUP BY device, metric, ts
       ON CONFLICT DO NOTHING`,
    );
    return { inserted: result.rowsChanged, duplicates: rows - result.rowsChanged };
  }

  async series(query: SeriesQuery): Promise<SeriesResult> {
    const t = bucketStarts(query.from, query.to, query.step);
    const index = new Map(t.map((start, i) => [start, i]));
    const series = query.selectors.map((s) => ({
      key: s.key,
      metric: query.metric,
      values: new Array<number | null>(t.length).fill(null),
    }));
    const mapping = query.selectors.flatMap((s, k) => s.devices.map((d) => `(${sqlStringList([d])}, ${k})`));
    if (mapping.length === 0) return { t, series };
    const result = await this.c.runAndReadAll(
      `SELECT k, (ts // $step) * $step AS bucket, ${aggregateSql(query.agg)} AS v
       FROM readings r JOIN (VALUES ${mapping.join(', ')}) AS m(device, k) ON r.device = m.device
       WHERE metric = $metric AND ts >= $from AND ts < $to GROUP BY k, bucket`,
      { step: BigInt(query.step), metric: query.metric, from: BigInt(query.from), to: BigInt(query.to) },
    );
    for (const row of result.getRowObjectsJS()) {
      const i = index.get(Number(row.bucket));
      const target = series[Number(row.k)];
      if (i !== undefined && target && row.v !== null) target.values[i] = Number(row.v);
    }
    return { t, series };
  }

  /** Every stored row, in key order. */
  async rows(): Promise<LongRow[]> {
    const result = await this.c.runAndReadAll(
      'SELECT device, metric, ts, value FROM readings ORDER BY device, metric, ts',
    );
    return result.getRowObjectsJS().map((r) => ({
      device: r.device as string,
      metric: r.metric as string,
      ts: Number(r.ts),
      value: Number(r.value),
    }));
  }

  async latest(): Promise<Map<string, Record<string, LatestValue>>> {
    return new Map();
  }

  async lastSeen(): Promise<Map<string, number>> {
    return new Map();
  }

  async countRows(): Promise<number> {
    return Number((await this.c.runAndReadAll('SELECT count(*) AS n FROM readings')).getRowObjectsJS()[0]?.n);
  }

  health() {
    return 'ok' as const;
  }

  async close(): Promise<void> {
    await this.c.run('CHECKPOINT');
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }
}

/** Writes the batches into a new file in the long layout. */
export async function writeLongLayoutFile(
  path: string,
  batches: readonly (readonly Reading[])[],
): Promise<void> {
  const store = new LongLayoutStore(path);
  await store.open();
  for (const batch of batches) await store.write(batch);
  await store.close();
}

/** Every stored row and the answer to each query, read with the long layout's own SQL. */
export async function readLongLayoutFile(
  path: string,
  queries: readonly SeriesQuery[],
): Promise<{ rows: LongRow[]; series: (number | null)[][][] }> {
  const store = new LongLayoutStore(path);
  await store.open();
  const rows = await store.rows();
  const series: (number | null)[][][] = [];
  for (const query of queries) series.push((await store.series(query)).series.map((s) => s.values));
  await store.close();
  return { rows, series };
}
