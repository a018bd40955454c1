/**
 * The write path of the wide layout. A batch is staged per domain through the appender (a
 * domain's staging table has only the metrics its readings in the batch carry, so a waste reading
 * costs its three or four values rather than one per metric of every domain), and moved into the
 * wide table by one INSERT.
 *
 * Most batches hold only new readings, and a plain INSERT is the cheapest way to store them
 * (ON CONFLICT costs about as much again, measured). When a row of the batch is already stored, or
 * the batch holds the same reading twice, the INSERT fails as a whole on the key and the batch
 * takes the merge path: in one transaction, merge the batch to one row per key, count the metric
 * values already present, then upsert, filling in the metrics the stored row lacked and keeping
 * the values it had. Re-delivery never double-counts, and a re-delivery that carries other
 * metrics of the same reading completes it.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Reading } from '../../contract/index.js';
import type { WriteResult } from '../port.js';
import { WIDE_TABLE, metricColumn } from './wide-schema.js';

interface DomainRows {
  domain: string;
  metrics: string[];
  rows: Reading[];
}

const DOMAIN_NAME = /^[a-z][a-z0-9_]{0,31}$/;

export interface WideWriterHooks {
  /** Called with metric names the table has no column for yet; adds them (ALTER TABLE). */
  addColumns(metrics: readonly string[]): Promise<void>;
  hasColumn(metric: string): boolean;
}

export class WideWriter {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly hooks: WideWriterHooks,
    /** The number of the next write (one more than the newest stored). */
    private nextBatch: number,
  ) {}

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    const { groups, values } = this.group(readings);
    if (groups.length === 0) return { inserted: 0, duplicates: 0 };
    await this.ensureColumns(groups);
    await this.stage(groups);
    const batch = this.nextBatch++;
    const select = groups.map((g) => stagingSelect(g, batch)).join('\nUNION ALL BY NAME\n');
    try {
      await this.connection.run(`INSERT INTO ${WIDE_TABLE} BY NAME ${select}`);
      return { inserted: values, duplicates: 0 };
    } catch (error) {
      if (!isKeyViolation(error)) throw error;
    }
    const { inserted } = await this.mergeIntoStored(groups, select, readings);
    return { inserted, duplicates: values - inserted };
  }

  /** The batch by domain; nothing is merged here (the rare batch with a repeated key takes the merge path). */
  private group(readings: readonly Reading[]): { groups: DomainRows[]; values: number } {
    const byDomain = new Map<string, DomainRows>();
    let values = 0;
    for (const reading of readings) {
      let group = byDomain.get(reading.domain);
      if (!group) {
        checkDomain(reading.domain);
        group = { domain: reading.domain, metrics: [], rows: [] };
        byDomain.set(reading.domain, group);
      }
      group.rows.push(reading);
      for (const metric in reading.metrics) {
        values += 1;
        if (!group.metrics.includes(metric)) this.noteMetric(group, metric);
      }
    }
    return { groups: [...byDomain.values()], values };
  }

  /**
   * Staged are the metrics the batch's readings of the domain carry, not every metric of the
   * domain: a column no reading fills would cost an appended NULL per reading.
   */
  private noteMetric(group: DomainRows, metric: string): void {
    metricColumn(metric); // refuses a name that cannot be a column before anything is written
    group.metrics.push(metric);
  }

  private async ensureColumns(groups: readonly DomainRows[]): Promise<void> {
    const missing = [...new Set(groups.flatMap((g) => g.metrics))].filter((m) => !this.hooks.hasColumn(m));
    if (missing.length > 0) await this.hooks.addColumns(missing);
  }

  /**
   * Staging tables are made anew for every batch: DuckDB keeps the storage of rows deleted from
   * a temporary table until the table is dropped (about 100 bytes a row, every row ever staged).
   */
  private async stage(groups: readonly DomainRows[]): Promise<void> {
    await this.connection.run(
      groups
        .map(
          (g) =>
            `CREATE OR REPLACE TEMP TABLE ${stagingTable(g.domain)} (device VARCHAR, ts DOUBLE, site VARCHAR, seq DOUBLE, simulated BOOLEAN${g.metrics.map((m) => `, ${metricColumn(m)} DOUBLE`).join('')})`,
        )
        .join(';\n'),
    );
    for (const group of groups) {
      const appender = await this.connection.createAppender(stagingTable(group.domain), 'main', 'temp');
      appendRows(appender, group);
      appender.closeSync();
    }
  }

  /**
   * The merge path: a row of the batch is stored already, or the batch holds a reading twice.
   * In one transaction: the batch merged to one row per (device, ts) (a metric repeated within
   * the batch counts once), the metric values the stored rows hold already subtracted, then an
   * upsert that fills in what the stored rows lacked. Returns the metric values newly stored.
   */
  private async mergeIntoStored(
    groups: readonly DomainRows[],
    select: string,
    readings: readonly Reading[],
  ): Promise<{ inserted: number }> {
    const metrics = [...new Set(groups.flatMap((g) => g.metrics))];
    const columns = metrics.map(metricColumn);
    let min = Infinity;
    let max = -Infinity;
    for (const r of readings) {
      if (r.ts < min) min = r.ts;
      if (r.ts > max) max = r.ts;
    }
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE staging_merged AS
         SELECT device, ts, any_value(site) AS site, any_value(domain) AS domain, any_value(seq) AS seq,
           bool_or(simulated) AS simulated, any_value(batch) AS batch, ${columns.map((c) => `any_value(${c}) AS ${c}`).join(', ')}
         FROM (${select}) GROUP BY device, ts`,
      );
      const both = columns.map((c) => `(s.${c} IS NOT NULL AND w.${c} IS NOT NULL)::INTEGER`);
      // The time bounds let the scan skip row groups outside the batch's range (zone maps).
      const counted = await this.connection.runAndReadAll(
        `SELECT (SELECT ${columns.map((c) => `count(${c})`).join(' + ')} FROM temp.staging_merged) AS distinct_values,
           (SELECT coalesce(sum(${both.join(' + ')}), 0) FROM temp.staging_merged s
            JOIN ${WIDE_TABLE} w ON w.device = s.device AND w.ts = s.ts
            WHERE w.ts >= $min AND w.ts <= $max) AS stored`,
        { min: BigInt(Math.floor(min)), max: BigInt(Math.ceil(max)) },
      );
      // The row is marked as changed by this write, so the rollups look at it again.
      const fill = [
        ...columns.map((c) => `${c} = coalesce(${WIDE_TABLE}.${c}, excluded.${c})`),
        'batch = excluded.batch',
      ];
      await this.connection.run(
        `INSERT INTO ${WIDE_TABLE} BY NAME SELECT * FROM temp.staging_merged
         ON CONFLICT (device, ts) DO UPDATE SET ${fill.join(', ')}`,
      );
      await this.connection.run('DROP TABLE temp.staging_merged');
      await this.connection.run('COMMIT');
      const row = counted.getRowObjectsJS()[0];
      return { inserted: Number(row?.distinct_values ?? 0) - Number(row?.stored ?? 0) };
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

function checkDomain(domain: string): void {
  if (!DOMAIN_NAME.test(domain))
    throw new Error(`refusing domain name in the store: ${JSON.stringify(domain)}`);
}

function stagingTable(domain: string): string {
  return `staging_${domain}`;
}

function stagingSelect(group: DomainRows, batch: number): string {
  return `SELECT device, ts::BIGINT AS ts, site, '${group.domain}' AS domain, seq::BIGINT AS seq, simulated, ${batch}::BIGINT AS batch${group.metrics.map((m) => `, ${metricColumn(m)}`).join('')} FROM temp.${stagingTable(group.domain)}`;
}

/** Times and sequence numbers go in as DOUBLE (exact for integers below 2^53) and are cast in SQL: no BigInt per value. */
function appendRows(appender: DuckDBAppender, group: DomainRows): void {
  const metrics = group.metrics;
  for (const reading of group.rows) {
    const values = reading.metrics;
    appender.appendVarchar(reading.device);
    appender.appendDouble(reading.ts);
    appender.appendVarchar(reading.site);
    if (reading.seq === undefined) appender.appendNull();
    else appender.appendDouble(reading.seq);
    appender.appendBoolean(reading.simulated);
    for (const metric of metrics) {
      const value = values[metric];
      if (value === undefined) appender.appendNull();
      else appender.appendDouble(value);
    }
    appender.endRow();
  }
}

function isKeyViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // Against a stored row: "Duplicate key … violates primary key constraint"; within the batch:
  // "PRIMARY KEY or UNIQUE constraint violation: duplicate key …".
  return message.includes('Constraint Error') && /duplicate key/i.test(message);
}
