/**
 * Daily aggregates per device and UTC day, with each metric's count, sum, min, max and newest value
 * (and its time) in columns of their own, for long-range series: a year of a 500-bin pilot at a
 * daily step reads 180,000 rows of a few columns instead of 17 million readings. Kept by the store itself: refreshed from the rows whose write
 * number is past the last refresh (a late or completed reading included), every minute and before
 * a query that uses it, so a query always sees every stored reading. A query whose step is a
 * whole number of days reads the aggregates for the whole days of its range and the readings for
 * the partial days at its ends; each bucket's value is then the same as from the readings.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesQuery } from '../port.js';
import { UTC_DAY_MS } from '../rollup-port.js';
import { sqlStringList } from '../sql-safe.js';
import { WIDE_TABLE, isMetricName, metricColumn } from './wide-schema.js';
import { SerialRefresh } from '../serial-refresh.js';

async function columnsOf(connection: DuckDBConnection, table: string): Promise<string[]> {
  const result = await connection.runAndReadAll(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $table`,
    { table },
  );
  return result.getRowObjectsJS().map((row) => row.column_name as string);
}

async function metricColumnsOf(connection: DuckDBConnection): Promise<string[]> {
  return (await columnsOf(connection, WIDE_TABLE)).filter(isMetricName);
}

const TABLE = 'series_days';
const SLICE_MS = 31 * UTC_DAY_MS;
const PARTS = ['n', 'total', 'lo', 'hi', 'last_ts', 'last'] as const;
const partColumn = (part: (typeof PARTS)[number], metric: string) => `"${part}_${metric}"`;
const partType = (part: (typeof PARTS)[number]) => (part === 'n' || part === 'last_ts' ? 'BIGINT' : 'DOUBLE');

/** The aggregates of one metric over a group of rows of the wide table, in PARTS order. */
function partsSql(metric: string): string[] {
  const c = metricColumn(metric);
  const some = `FILTER (WHERE ${c} IS NOT NULL)`;
  return [
    `count(${c})`,
    `sum(${c})`,
    `min(${c})`,
    `max(${c})`,
    `max(ts) ${some}`,
    `arg_max(${c}, ts) ${some}`,
  ];
}

/** The parts of one bucket that every aggregate of the port can be computed from. */
export interface BucketParts {
  n: number;
  total: number;
  lo: number;
  hi: number;
  lastTs: number;
  last: number;
}

export class SeriesRollup {
  private readonly refresher = new SerialRefresh(() => this.refreshOnce());

  constructor(
    private readonly reader: DuckDBConnection,
    private readonly writer: DuckDBConnection,
  ) {}

  static async create(reader: DuckDBConnection, writer: DuckDBConnection): Promise<SeriesRollup> {
    const columns = (await metricColumnsOf(writer)).flatMap((m) =>
      PARTS.map((part) => `${partColumn(part, m)} ${partType(part)}`),
    );
    await writer.run(
      `CREATE TABLE IF NOT EXISTS rollup_marks (name VARCHAR PRIMARY KEY, mark BIGINT NOT NULL);
       CREATE TABLE IF NOT EXISTS ${TABLE} (device VARCHAR NOT NULL, day BIGINT NOT NULL, ${columns.join(', ')})`,
    );
    return new SeriesRollup(reader, writer);
  }

  /** A query the aggregates can serve: buckets of whole days (epoch-aligned, so they start at UTC midnights). */
  static serves(query: SeriesQuery): boolean {
    return query.step % UTC_DAY_MS === 0 && query.to - query.from >= 2 * UTC_DAY_MS;
  }

  /** Brings the aggregates up to every reading stored before the call; callers waiting meanwhile share one run. */
  refresh(): Promise<void> {
    return this.refresher.run();
  }

  /** Waits for a refresh in progress, if any (before the connections close). */
  async idle(): Promise<void> {
    await this.refresher.settled();
  }

  private async refreshOnce(): Promise<void> {
    const c = this.writer;
    const metrics = await metricColumnsOf(c);
    // A metric the readings gained since (a new domain): its columns, and every day computed again.
    const have = new Set(await columnsOf(c, TABLE));
    const missing = metrics.filter((m) => !have.has(`n_${m}`));
    for (const m of missing)
      for (const part of PARTS)
        await c.run(`ALTER TABLE ${TABLE} ADD COLUMN ${partColumn(part, m)} ${partType(part)}`);
    const marked = await this.reader.runAndReadAll(`SELECT mark FROM rollup_marks WHERE name = '${TABLE}'`);
    const mark = missing.length > 0 ? undefined : marked.getRowObjectsJS()[0]?.mark;
    const newer = mark === undefined ? '' : `WHERE batch > ${Number(mark)}`;
    // The newest write number now: what this refresh will have counted once done.
    const newest = await c.runAndReadAll(`SELECT max(batch) AS batch FROM ${WIDE_TABLE} ${newer}`);
    const batch = newest.getRowObjectsJS()[0]?.batch;
    await c.run(
      `CREATE OR REPLACE TEMP TABLE changed_days AS
       SELECT DISTINCT device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS} AS day FROM ${WIDE_TABLE} ${newer}`,
    );
    const span = await c.runAndReadAll(`SELECT min(day) AS lo, max(day) AS hi FROM temp.changed_days`);
    const { lo, hi } = span.getRowObjectsJS()[0] ?? {};
    const columns = metrics.flatMap((m) => PARTS.map((part) => partColumn(part, m)));
    // A month of days per transaction: a year at once (a file rolled up for the first time) would
    // hold every day's aggregate states at once, beyond the store's memory limit.
    for (let from = Number(lo); lo !== null && lo !== undefined && from <= Number(hi); from += SLICE_MS) {
      const to = from + SLICE_MS;
      await c.run('BEGIN TRANSACTION');
      try {
        const slice = `(SELECT device, day FROM temp.changed_days WHERE day >= ${from} AND day < ${to})`;
        await c.run(
          `DELETE FROM ${TABLE} WHERE day >= ${from} AND day < ${to} AND (device, day) IN ${slice}`,
        );
        // The time bounds keep the scan to the row groups of the slice (zone maps).
        await c.run(
          `INSERT INTO ${TABLE} (device, day, ${columns.join(', ')})
           SELECT device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS} AS day, ${metrics.flatMap(partsSql).join(', ')}
           FROM ${WIDE_TABLE}
           WHERE ts >= ${from} AND ts < ${to} AND (device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS}) IN ${slice}
           GROUP BY device, day`,
        );
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    // Only once every slice is in: a refresh cut short leaves the old mark, and the next redoes it all.
    if (batch !== null && batch !== undefined)
      await c.run(
        `INSERT INTO rollup_marks VALUES ('${TABLE}', ${Number(batch)}) ON CONFLICT (name) DO UPDATE SET mark = excluded.mark`,
      );
    else if (mark === undefined)
      // Rows of a file from before write numbers have none: -1 marks them as counted.
      await c.run(
        `INSERT INTO rollup_marks VALUES ('${TABLE}', -1) ON CONFLICT (name) DO UPDATE SET mark = excluded.mark`,
      );
    await c.run('DROP TABLE IF EXISTS temp.changed_days');
  }

  /** Bucket parts per selector index from the aggregates of whole days in [from, to) (both day-aligned). */
  async wholeDays(
    mapping: string,
    metric: string,
    step: number,
    from: number,
    to: number,
  ): Promise<Map<string, BucketParts>> {
    await this.refresh();
    if (!(await columnsOf(this.reader, TABLE)).includes(`n_${metric}`)) return new Map();
    const [n, total, lo, hi, lastTs, last] = PARTS.map((part) => `s.${partColumn(part, metric)}`);
    const result = await this.reader.runAndReadAll(
      `SELECT k, (day // $step) * $step AS bucket, sum(${n}) AS n, sum(${total}) AS total, min(${lo}) AS lo,
         max(${hi}) AS hi, max(${lastTs}) AS last_ts, arg_max(${last}, ${lastTs}) AS last
       FROM ${TABLE} s JOIN (VALUES ${mapping}) AS m(device, k) ON s.device = m.device
       WHERE ${n} > 0 AND day >= $from AND day < $to
       GROUP BY k, bucket`,
      { step: BigInt(step), from: BigInt(from), to: BigInt(to) },
    );
    return partsByKey(result.getRowObjectsJS());
  }
}

/** Bucket parts per selector index from the readings in [from, to) (the partial days at a range's ends). */
export async function readingParts(
  reader: DuckDBConnection,
  mapping: string,
  metric: string,
  step: number,
  from: number,
  to: number,
): Promise<Map<string, BucketParts>> {
  if (from >= to) return new Map();
  const column = metricColumn(metric);
  const result = await reader.runAndReadAll(
    `SELECT k, (ts // $step) * $step AS bucket, count(*) AS n, sum(value) AS total, min(value) AS lo, max(value) AS hi,
       max(ts) AS last_ts, arg_max(value, ts) AS last
     FROM (SELECT m.k, r.ts, r.${column} AS value FROM ${WIDE_TABLE} r JOIN (VALUES ${mapping}) AS m(device, k) ON r.device = m.device)
     WHERE value IS NOT NULL AND ts >= $from AND ts < $to
     GROUP BY k, bucket`,
    { step: BigInt(step), from: BigInt(from), to: BigInt(to) },
  );
  return partsByKey(result.getRowObjectsJS());
}

function partsByKey(rows: Record<string, unknown>[]): Map<string, BucketParts> {
  return new Map(
    rows.map((row) => [
      `${Number(row.k)}|${Number(row.bucket)}`,
      {
        n: Number(row.n),
        total: Number(row.total),
        lo: Number(row.lo),
        hi: Number(row.hi),
        lastTs: Number(row.last_ts),
        last: Number(row.last),
      },
    ]),
  );
}

export function mergeParts(a: BucketParts | undefined, b: BucketParts | undefined): BucketParts | undefined {
  if (!a || !b) return a ?? b;
  return {
    n: a.n + b.n,
    total: a.total + b.total,
    lo: Math.min(a.lo, b.lo),
    hi: Math.max(a.hi, b.hi),
    ...(b.lastTs > a.lastTs ? { lastTs: b.lastTs, last: b.last } : { lastTs: a.lastTs, last: a.last }),
  };
}

/** The mapping of devices to selector indexes as a VALUES list. */
export function selectorMapping(query: SeriesQuery): string {
  return query.selectors
    .flatMap((selector, k) => selector.devices.map((device) => `(${sqlStringList([device])}, ${k})`))
    .join(', ');
}
