/**
 * The DuckDB file's layout: one row per reading in `readings_wide`, keyed (device, ts), with a
 * DOUBLE column per metric (NULL where the reading did not carry it), and `readings` as a
 * long-format view (device, ts, site, domain, seq, simulated, metric, value) for people who query
 * the file directly. A row per reading instead of a row per metric is what makes the write cheap:
 * one key to check and one row to store.
 *
 * At open the schema follows the contract: a metric the contract has and the file lacks becomes a
 * new column (a new domain needs nothing else), and a file in the earlier long layout (a table
 * `readings` with a row per metric) is rewritten into the wide table in one transaction.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ALL_METRIC_NAMES, METRIC_NAME_PATTERN } from '../../contract/index.js';

export const WIDE_TABLE = 'readings_wide';
export const LONG_VIEW = 'readings';
/**
 * The columns every row has; every other column of the wide table is a metric. `batch` numbers
 * the write that stored (or last completed) the row: what changed since a mark, for the rollups.
 */
export const KEY_COLUMNS = ['device', 'ts', 'site', 'domain', 'seq', 'simulated', 'batch'] as const;
const RESERVED: ReadonlySet<string> = new Set<string>(KEY_COLUMNS);

/** A metric name as a quoted SQL identifier; refuses names the contract would not produce. */
export function metricColumn(metric: string): string {
  if (!isMetricName(metric)) throw new Error(`refusing metric name as a column: ${JSON.stringify(metric)}`);
  return `"${metric}"`;
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME_PATTERN.test(name) && !RESERVED.has(name);
}

async function columnsOf(connection: DuckDBConnection, table: string): Promise<string[]> {
  const result = await connection.runAndReadAll(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = 'main' AND table_name = $table ORDER BY ordinal_position`,
    { table },
  );
  return result.getRowObjectsJS().map((row) => row.column_name as string);
}

async function tableType(connection: DuckDBConnection, name: string): Promise<string | undefined> {
  const result = await connection.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $name`,
    { name },
  );
  return result.getRowObjectsJS()[0]?.table_type as string | undefined;
}

function createWideSql(metrics: readonly string[]): string {
  return `CREATE TABLE ${WIDE_TABLE} (
    device VARCHAR NOT NULL,
    ts BIGINT NOT NULL,
    site VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    seq BIGINT,
    simulated BOOLEAN NOT NULL,
    batch BIGINT,
    ${metrics.map((m) => `${metricColumn(m)} DOUBLE`).join(',\n    ')},
    PRIMARY KEY (device, ts)
  )`;
}

function longViewSql(metrics: readonly string[]): string {
  // UNPIVOT leaves out NULL cells: the view has one row per metric a reading carried, as the old table had.
  return `CREATE OR REPLACE VIEW ${LONG_VIEW} AS
    SELECT device, metric, ts, value, site, domain, seq, simulated
    FROM (UNPIVOT ${WIDE_TABLE} ON ${metrics.map(metricColumn).join(', ')} INTO NAME metric VALUE value)`;
}

/** The earlier layout's metric names, checked before anything is rewritten. */
async function legacyMetrics(connection: DuckDBConnection): Promise<string[]> {
  const result = await connection.runAndReadAll(`SELECT DISTINCT metric FROM ${LONG_VIEW} ORDER BY metric`);
  const names = result.getRowObjectsJS().map((row) => row.metric as string);
  const bad = names.filter((name) => !isMetricName(name));
  if (bad.length > 0)
    throw new Error(
      `cannot migrate the DuckDB file: metric names that cannot become columns: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    );
  return names;
}

/** Rewrites the long table (a row per metric) into the wide one, in one transaction: a crash leaves the old table. */
async function migrateLongLayout(connection: DuckDBConnection, contract: readonly string[]): Promise<void> {
  const metrics = [...new Set([...contract, ...(await legacyMetrics(connection))])];
  // The old key was (device, metric, ts): each metric has at most one value per (device, ts).
  const pivot = metrics
    .map((m) => `any_value(value) FILTER (WHERE metric = '${m}') AS ${metricColumn(m)}`)
    .join(',\n      ');
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(createWideSql(metrics));
    // In time order, so the zone maps of later range queries skip whole row groups.
    await connection.run(
      `INSERT INTO ${WIDE_TABLE}
       SELECT device, ts, any_value(site), any_value(domain), any_value(seq), bool_or(simulated), NULL,
         ${pivot}
       FROM ${LONG_VIEW} GROUP BY device, ts ORDER BY ts, device`,
    );
    await connection.run(`DROP TABLE ${LONG_VIEW}`);
    await connection.run(longViewSql(metrics));
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await connection.run('CHECKPOINT');
}

export interface SchemaReport {
  /** Metric columns of the wide table, in table order. */
  metrics: string[];
  /** True when a file in the long layout was rewritten at this open. */
  migrated: boolean;
  /** Columns added because the contract has metrics the file did not. */
  added: string[];
}

/** Brings the file to the wide layout with a column for every contract metric (and every extra one given). */
export async function ensureWideSchema(
  connection: DuckDBConnection,
  contract: readonly string[] = [...ALL_METRIC_NAMES],
): Promise<SchemaReport> {
  let migrated = false;
  const existing = await tableType(connection, LONG_VIEW);
  if (existing === 'BASE TABLE' && (await columnsOf(connection, LONG_VIEW)).includes('metric')) {
    await migrateLongLayout(connection, contract);
    migrated = true;
  }
  if ((await tableType(connection, WIDE_TABLE)) === undefined) {
    await connection.run(createWideSql(contract));
  }
  // Files written before the change marker: their rows count as changed before any mark.
  if (!(await columnsOf(connection, WIDE_TABLE)).includes('batch'))
    await connection.run(`ALTER TABLE ${WIDE_TABLE} ADD COLUMN batch BIGINT`);
  const added = await addMissingColumns(connection, contract);
  const metrics = (await columnsOf(connection, WIDE_TABLE)).filter((c) => !RESERVED.has(c));
  if (added.length > 0 || (await tableType(connection, LONG_VIEW)) === undefined) {
    await connection.run(longViewSql(metrics));
  }
  return { metrics, migrated, added };
}

/** ALTER TABLE … ADD COLUMN for each wanted metric the table lacks; returns those added. */
export async function addMissingColumns(
  connection: DuckDBConnection,
  wanted: readonly string[],
): Promise<string[]> {
  const have = new Set(await columnsOf(connection, WIDE_TABLE));
  const added: string[] = [];
  for (const metric of wanted) {
    if (have.has(metric)) continue;
    await connection.run(`ALTER TABLE ${WIDE_TABLE} ADD COLUMN ${metricColumn(metric)} DOUBLE`);
    added.push(metric);
  }
  return added;
}

/** After columns were added while open: the long view must name them too. */
export async function refreshLongView(connection: DuckDBConnection): Promise<string[]> {
  const metrics = (await columnsOf(connection, WIDE_TABLE)).filter((c) => !RESERVED.has(c));
  await connection.run(longViewSql(metrics));
  return metrics;
}
