/**
 * The rollups' storage in the DuckDB file: a table of one record per device and local date, the
 * mark of the last refresh, and the changes since a mark read from the `batch` number each row
 * of the wide table carries (rows a merge completed carry the merging write's number).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UTC_DAY_MS, type ChangeSet, type RollupStorage, type StoredDay } from '../rollup-port.js';
import { sqlStringList } from '../sql-safe.js';
import { WIDE_TABLE } from './wide-schema.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kpi_days (device VARCHAR NOT NULL, date VARCHAR NOT NULL, data VARCHAR NOT NULL, PRIMARY KEY (device, date));
CREATE TABLE IF NOT EXISTS rollup_marks (name VARCHAR PRIMARY KEY, mark BIGINT NOT NULL);`;

export async function ensureRollupSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run(SCHEMA);
}

export class DuckDbRollups implements RollupStorage {
  /** Write numbers only grow: nothing to look at twice. */
  readonly refreshOverlap = 0;
  readonly devicesPerLoad = Number.POSITIVE_INFINITY;

  constructor(
    private readonly reader: DuckDBConnection,
    /** A connection of its own: its transactions touch only the rollup tables, never the readings. */
    private readonly writer: DuckDBConnection,
  ) {}

  /** One refresh writes at a time (a transaction per call on the one connection). */
  private queue: Promise<unknown> = Promise.resolve();

  async changesSince(mark: number | undefined): Promise<ChangeSet> {
    // Only rows written after the mark: the scan skips the row groups before them (zone maps on batch).
    const where = mark === undefined ? '' : `WHERE batch > ${Math.floor(mark)}`;
    const result = await this.reader.runAndReadAll(
      `SELECT device, (ts // ${UTC_DAY_MS}) * ${UTC_DAY_MS} AS day, max(batch) AS batch
       FROM ${WIDE_TABLE} ${where} GROUP BY device, day`,
    );
    let newest = mark ?? -1;
    const changes = result.getRowObjectsJS().map((row) => {
      if (row.batch !== null) newest = Math.max(newest, Number(row.batch));
      return { device: row.device as string, day: Number(row.day) };
    });
    return { mark: newest, changes };
  }

  async readDays(devices: readonly string[], fromDate: string, toDate: string): Promise<StoredDay[]> {
    if (devices.length === 0) return [];
    // One string for all the records: a year of a fleet is tens of thousands, and converting each
    // value of a row-wise result cost more than the rest of the analysis' loading (profiled).
    // JSON never holds a raw tab or newline, so they separate fields and records.
    const result = await this.reader.runAndReadAll(
      `SELECT string_agg(device || chr(9) || date || chr(9) || data, chr(10)) AS records FROM kpi_days
       WHERE device IN (${sqlStringList(devices)}) AND date >= $from AND date <= $to`,
      { from: fromDate, to: toDate },
    );
    const text = result.getRowObjectsJS()[0]?.records;
    if (typeof text !== 'string' || text === '') return [];
    return text.split('\n').map((line) => {
      const [device = '', date = '', data = ''] = line.split('\t');
      return { device, date, data };
    });
  }

  async writeDays(
    days: readonly StoredDay[],
    removed: readonly { device: string; date: string }[],
    mark: number | undefined,
  ): Promise<void> {
    const work = this.queue.then(async () => {
      await this.writer.run('BEGIN TRANSACTION');
      try {
        const gone = [...removed, ...days];
        for (let i = 0; i < gone.length; i += 1000) {
          const pairs = gone
            .slice(i, i + 1000)
            .map((d) => `(${sqlStringList([d.device])}, '${dateLiteral(d.date)}')`);
          await this.writer.run(`DELETE FROM kpi_days WHERE (device, date) IN (${pairs.join(', ')})`);
        }
        if (days.length > 0) {
          const appender = await this.writer.createAppender('kpi_days');
          for (const d of days) {
            appender.appendVarchar(d.device);
            appender.appendVarchar(d.date);
            appender.appendVarchar(d.data);
            appender.endRow();
          }
          appender.closeSync();
        }
        if (mark !== undefined)
          await this.writer.run(
            `INSERT INTO rollup_marks VALUES ('kpi_days', ${Math.floor(mark)}) ON CONFLICT (name) DO UPDATE SET mark = excluded.mark`,
          );
        await this.writer.run('COMMIT');
      } catch (error) {
        await this.writer.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    this.queue = work.catch(() => undefined);
    await work;
  }

  async readMark(): Promise<number | undefined> {
    const result = await this.reader.runAndReadAll(`SELECT mark FROM rollup_marks WHERE name = 'kpi_days'`);
    const row = result.getRowObjectsJS()[0];
    return row ? Number(row.mark) : undefined;
  }
}

function dateLiteral(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`refusing date in query: ${JSON.stringify(date)}`);
  return date;
}
