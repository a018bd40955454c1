/**
 * Test fixture: the layout DuckDB files had before the wide table (a row per metric, keyed
 * (device, metric, ts)), written and read by that version's own SQL, kept so the migration test
 * opens a file exactly as the earlier release left it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Reading } from '../../contract/index.js';
import type { SeriesQuery } from '../port.js';
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

/** Writes the readings (in batches, re-deliveries allowed) into a new file in the long layout. */
export async function writeLongLayoutFile(
  path: string,
  batches: readonly (readonly Reading[])[],
): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(LONG_SCHEMA);
  for (const readings of batches) {
    await connection.run(`DROP TABLE IF EXISTS staging; ${STAGING}`);
    const appender = await connection.createAppender('staging', 'main', 'temp');
    for (const r of readings) {
      for (const [metric, value] of Object.entries(r.metrics)) {
        appender.appendVarchar(r.device);
        appender.appendVarchar(metric);
        appender.appendBigInt(BigInt(r.ts));
        appender.appendDouble(value);
        appender.appendVarchar(r.site);
        appender.appendVarchar(r.domain);
        appender.appendBigInt(BigInt(r.seq));
        appender.appendBoolean(r.simulated);
        appender.endRow();
      }
    }
    appender.closeSync();
    await connection.run(
      `INSERT INTO readings
         SELECT device, metric, ts, any_value(value), any_value(site), any_value(domain), any_value(seq), bool_or(simulated)
         FROM staging GROUP BY device, metric, ts
       ON CONFLICT DO NOTHING`,
    );
  }
  await connection.run('CHECKPOINT');
  connection.closeSync();
  instance.closeSync();
}

/** Every stored row and the answer to each query, read with the long layout's own SQL. */
export async function readLongLayoutFile(
  path: string,
  queries: readonly SeriesQuery[],
): Promise<{ rows: LongRow[]; series: (number | null)[][][] }> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const rows = (
    await connection.runAndReadAll(
      'SELECT device, metric, ts, value FROM readings ORDER BY device, metric, ts',
    )
  )
    .getRowObjectsJS()
    .map((r) => ({
      device: r.device as string,
      metric: r.metric as string,
      ts: Number(r.ts),
      value: Number(r.value),
    }));
  const series: (number | null)[][][] = [];
  for (const query of queries) {
    const starts: number[] = [];
    for (let t = Math.floor(query.from / query.step) * query.step; t < query.to; t += query.step)
      starts.push(t);
    const out = query.selectors.map(() => starts.map((): number | null => null));
    const mapping = query.selectors.flatMap((s, k) => s.devices.map((d) => `(${sqlStringList([d])}, ${k})`));
    const result = await connection.runAndReadAll(
      `SELECT k, (ts // $step) * $step AS bucket, ${aggregateSql(query.agg)} AS v
       FROM readings r JOIN (VALUES ${mapping.join(', ')}) AS m(device, k) ON r.device = m.device
       WHERE metric = $metric AND ts >= $from AND ts < $to GROUP BY k, bucket`,
      { step: BigInt(query.step), metric: query.metric, from: BigInt(query.from), to: BigInt(query.to) },
    );
    for (const row of result.getRowObjectsJS()) {
      const i = starts.indexOf(Number(row.bucket));
      const target = out[Number(row.k)];
      if (target && i >= 0 && row.v !== null) target[i] = Number(row.v);
    }
    series.push(out);
  }
  connection.closeSync();
  instance.closeSync();
  return { rows, series };
}
