/**
 * Daily aggregates per device and metric (count, sum, min, max, and the newest value with its
 * time) for long-range series: a year of a 500-bin pilot at a daily step is 180,000 aggregates
 * instead of 17 million readings. Kept by the store itself: refreshed from the rows whose write
 * number is past the last refresh (a late or completed reading included), every minute and before
 * a query that uses it, so a query always sees every stored reading. A query whose step is a
 * whole number of days reads the aggregates for the whole days of its range and the readings for
 * the partial days at its ends; each bucket's value is then the same as from the readings.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesQuery } from '../port.js';
import { UTC_DAY_MS } from '../rollup-port.js';
import { sqlStringList } from '../sql-safe.js';
import { LONG_VIEW, WIDE_TABLE, metricColumn } from './wide-schema.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series_daily (
  device VARCHAR NOT NULL, day BIGINT NOT NULL, metric VARCHAR NOT NULL,
  n BIGINT NOT NULL, total DOUBLE NOT NULL, lo DOUBLE NOT NULL, hi DOUBLE NOT NULL,
  last_ts BIGINT NOT NULL, last_value DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS rollup_marks (name VARCHAR PRIMARY KEY, mark BIGINT NOT NULL);`;

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
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly reader: DuckDBConnection,
    private readonly writer: DuckDBConnection,
  ) {}

  static async create(reader: DuckDBConnection, writer: DuckDBConnection): Promise<SeriesRollup> {
    await writer.run(SCHEMA);
    return new SeriesRollup(reader, writer);
  }

  /** A query the aggregates can serve: buckets of whole days (epoch-aligned, so they start at UTC midnights). */
  static serves(query: SeriesQuery): boolean {
    return query.step % UTC_DAY_MS === 0 && query.to - query.from >= 2 * UTC_DAY_MS;
  }

  /** Brings the aggregates up to every reading stored before the call; callers waiting meanwhile share one run. */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.refreshOnce().finally(() => (this.running = undefined));
      return this.running;
    }
    // A run already under way may have started before the caller's readings were stored: run once more after it.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  /** Waits for a refresh in progress, if any (before the connections close). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async refreshOnce(): Promise<void> {
    const marked = await this.reader.runAndReadAll(
      `SELECT mark FROM rollup_marks WHERE name = 'series_daily'`,
    );
    const mark = marked.getRowObjectsJS()[0]?.mark;
    const newer = mark === undefined ? '' : `WHERE batch > ${Number(mark)}`;
    const c = this.writer;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(
        `CREATE OR REPLACE TEMP TABLE changed_days AS
         SELECT DISTINCT device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS} AS day FROM ${WIDE_TABLE} ${newer}`,
      );
      const span = await c.runAndReadAll(
        `SELECT count(*) AS n, min(day) AS lo, max(day) AS hi FROM temp.changed_days`,
      );
      const { n, lo, hi } = span.getRowObjectsJS()[0] ?? {};
      if (Number(n) > 0) {
        await c.run(
          `DELETE FROM series_daily WHERE (device, day) IN (SELECT device, day FROM temp.changed_days)`,
        );
        // The time bounds keep the scan to the row groups of the changed days (zone maps).
        await c.run(
          `INSERT INTO series_daily
           SELECT device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS} AS day, metric,
             count(*), sum(value), min(value), max(value), max(ts), arg_max(value, ts)
           FROM ${LONG_VIEW}
           WHERE ts >= ${Number(lo)} AND ts < ${Number(hi) + UTC_DAY_MS}
             AND (device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS}) IN (SELECT device, day FROM temp.changed_days)
           GROUP BY ALL`,
        );
      }
      const newest = await c.runAndReadAll(`SELECT max(batch) AS batch FROM ${WIDE_TABLE}`);
      const batch = newest.getRowObjectsJS()[0]?.batch;
      // Rows of a file from before write numbers have none: -1 marks them as counted.
      await c.run(
        `INSERT INTO rollup_marks VALUES ('series_daily', ${batch === null || batch === undefined ? -1 : Number(batch)})
         ON CONFLICT (name) DO UPDATE SET mark = excluded.mark`,
      );
      await c.run('DROP TABLE temp.changed_days');
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
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
    const result = await this.reader.runAndReadAll(
      `SELECT k, (day // $step) * $step AS bucket, sum(n) AS n, sum(total) AS total, min(lo) AS lo, max(hi) AS hi,
         max(last_ts) AS last_ts, arg_max(last_value, last_ts) AS last
       FROM series_daily s JOIN (VALUES ${mapping}) AS m(device, k) ON s.device = m.device
       WHERE metric = $metric AND day >= $from AND day < $to
       GROUP BY k, bucket`,
      { step: BigInt(step), metric, from: BigInt(from), to: BigInt(to) },
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
