/**
 * The write path of the wide layout. A batch is merged in memory first (one row per device and
 * time; a reading delivered twice in the batch counts its repeated metrics as duplicates), staged
 * per domain through the appender (a domain's staging table has only that domain's metric
 * columns, so a waste reading costs five values rather than one per metric of every domain), and
 * moved into the wide table by one INSERT.
 *
 * Most batches hold only new readings, and a plain INSERT is the cheapest way to store them
 * (ON CONFLICT costs about as much again, measured). When a row of the batch is already stored the
 * INSERT fails as a whole on the key and the batch takes the merge path: in one transaction,
 * count the metric values already present, then upsert, filling in the metrics the stored row
 * lacked and keeping the values it had. Re-delivery never double-counts, and a re-delivery that
 * carries other metrics of the same reading completes it.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Reading } from '../../contract/index.js';
import type { WriteResult } from '../port.js';
import { WIDE_TABLE, metricColumn } from './wide-schema.js';

/** One row of the wide table, after merging a batch's readings of the same device and time. */
interface Row {
  reading: Reading;
  metrics: Record<string, number>;
  /** True once `metrics` is a copy of our own (a merge must not change the caller's reading). */
  own: boolean;
}

interface DomainRows {
  domain: string;
  metrics: string[];
  rows: Row[];
}

const DOMAIN_NAME = /^[a-z][a-z0-9_]{0,31}$/;

export interface WideWriterHooks {
  /** Called with metric names the table has no column for yet; adds them (ALTER TABLE). */
  addColumns(metrics: readonly string[]): Promise<void>;
  hasColumn(metric: string): boolean;
}

export class WideWriter {
  /** Staging columns per domain: the contract's metrics of the domain, grown when a reading brings another. */
  private readonly stagingMetrics = new Map<string, string[]>();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly hooks: WideWriterHooks,
    domainMetrics: Readonly<Record<string, readonly string[]>>,
  ) {
    for (const [domain, metrics] of Object.entries(domainMetrics))
      this.stagingMetrics.set(domain, [...metrics]);
  }

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    const { groups, values, repeated } = this.merge(readings);
    if (groups.length === 0) return { inserted: 0, duplicates: repeated };
    await this.ensureColumns(groups);
    await this.stage(groups);
    const select = groups.map((g) => stagingSelect(g)).join('\nUNION ALL BY NAME\n');
    try {
      await this.connection.run(`INSERT INTO ${WIDE_TABLE} BY NAME ${select}`);
      return { inserted: values, duplicates: repeated };
    } catch (error) {
      if (!isKeyViolation(error)) throw error;
    }
    const stored = await this.mergeIntoStored(groups, select, readings);
    return { inserted: values - stored, duplicates: repeated + stored };
  }

  /** One row per (device, ts); the batch's repeated metric values are counted, not stored twice. */
  private merge(readings: readonly Reading[]): { groups: DomainRows[]; values: number; repeated: number } {
    const byKey = new Map<string, Row>();
    const byDomain = new Map<string, DomainRows>();
    let values = 0;
    let repeated = 0;
    for (const reading of readings) {
      const key = `${reading.device}\u0000${reading.ts}`;
      const row = byKey.get(key);
      if (row === undefined) {
        const fresh: Row = { reading, metrics: reading.metrics, own: false };
        byKey.set(key, fresh);
        let group = byDomain.get(reading.domain);
        if (!group) {
          group = { domain: reading.domain, metrics: this.metricsOf(reading.domain), rows: [] };
          byDomain.set(reading.domain, group);
        }
        group.rows.push(fresh);
        for (const metric in reading.metrics) {
          values += 1;
          this.noteMetric(group, metric);
        }
        continue;
      }
      for (const metric in reading.metrics) {
        if (metric in row.metrics) {
          repeated += 1;
          continue;
        }
        if (!row.own) {
          row.metrics = { ...row.metrics };
          row.own = true;
        }
        row.metrics[metric] = reading.metrics[metric] as number;
        values += 1;
        this.noteMetric(byDomain.get(row.reading.domain) as DomainRows, metric);
      }
    }
    return { groups: [...byDomain.values()], values, repeated };
  }

  private metricsOf(domain: string): string[] {
    if (!DOMAIN_NAME.test(domain))
      throw new Error(`refusing domain name in the store: ${JSON.stringify(domain)}`);
    let metrics = this.stagingMetrics.get(domain);
    if (!metrics) this.stagingMetrics.set(domain, (metrics = []));
    return metrics;
  }

  /** A metric outside the domain's staging columns (the contract grew while running): stage it from now on. */
  private noteMetric(group: DomainRows, metric: string): void {
    if (!group.metrics.includes(metric)) {
      metricColumn(metric); // refuses a name that cannot be a column before anything is written
      group.metrics.push(metric);
    }
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
   * The merge path: some rows of the batch are stored already. Counts the metric values the
   * stored rows hold already (those are the re-delivered ones), then upserts.
   */
  private async mergeIntoStored(
    groups: readonly DomainRows[],
    select: string,
    readings: readonly Reading[],
  ): Promise<number> {
    const metrics = [...new Set(groups.flatMap((g) => g.metrics))];
    let min = Infinity;
    let max = -Infinity;
    for (const r of readings) {
      if (r.ts < min) min = r.ts;
      if (r.ts > max) max = r.ts;
    }
    const both = metrics.map(
      (m) => `(s.${metricColumn(m)} IS NOT NULL AND w.${metricColumn(m)} IS NOT NULL)::INTEGER`,
    );
    await this.connection.run('BEGIN TRANSACTION');
    try {
      // The time bounds let the scan skip row groups outside the batch's range (zone maps).
      const counted = await this.connection.runAndReadAll(
        `SELECT coalesce(sum(${both.join(' + ')}), 0) AS stored
         FROM (${select}) s JOIN ${WIDE_TABLE} w ON w.device = s.device AND w.ts = s.ts
         WHERE w.ts >= $min AND w.ts <= $max`,
        { min: BigInt(Math.floor(min)), max: BigInt(Math.ceil(max)) },
      );
      const fill = metrics.map(
        (m) => `${metricColumn(m)} = coalesce(${WIDE_TABLE}.${metricColumn(m)}, excluded.${metricColumn(m)})`,
      );
      await this.connection.run(
        `INSERT INTO ${WIDE_TABLE} BY NAME ${select} ON CONFLICT (device, ts) DO UPDATE SET ${fill.join(', ')}`,
      );
      await this.connection.run('COMMIT');
      return Number(counted.getRowObjectsJS()[0]?.stored ?? 0);
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

function stagingTable(domain: string): string {
  return `staging_${domain}`;
}

function stagingSelect(group: DomainRows): string {
  return `SELECT device, ts::BIGINT AS ts, site, '${group.domain}' AS domain, seq::BIGINT AS seq, simulated${group.metrics.map((m) => `, ${metricColumn(m)}`).join('')} FROM temp.${stagingTable(group.domain)}`;
}

/** Times and sequence numbers go in as DOUBLE (exact for integers below 2^53) and are cast in SQL: no BigInt per value. */
function appendRows(appender: DuckDBAppender, group: DomainRows): void {
  const metrics = group.metrics;
  for (const { reading, metrics: values } of group.rows) {
    appender.appendVarchar(reading.device);
    appender.appendDouble(reading.ts);
    appender.appendVarchar(reading.site);
    appender.appendDouble(reading.seq);
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
  return message.includes('Constraint Error') && message.includes('primary key');
}
