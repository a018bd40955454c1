/**
 * Embedded store: one DuckDB file under DATA_DIR, in the wide layout (wide-schema.ts): a row per
 * reading keyed (device, ts), a column per metric. Writes go through WideWriter (staged per
 * domain, one INSERT; a batch that holds a stored reading is merged instead), so a re-delivered
 * reading never doubles and a re-delivery carrying other metrics completes the stored row.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { METRICS, type Reading } from '../../contract/index.js';
import {
  bucketStarts,
  type LatestValue,
  type SeriesQuery,
  type SeriesResult,
  type StoreHealth,
  type TelemetryStore,
  type WriteResult,
} from '../port.js';
import type { DevicePoints, PointsQuery, RollupStorage } from '../rollup-port.js';
import { sqlStringList } from '../sql-safe.js';
import { aggregateSql } from './aggregate-sql.js';
import { DuckDbRollups, ensureRollupSchema } from './duckdb-rollups.js';
import {
  SeriesRollup,
  mergeParts,
  readingParts,
  selectorMapping,
  type BucketParts,
} from './series-rollup.js';
import {
  WIDE_TABLE,
  addMissingColumns,
  ensureWideSchema,
  metricColumn,
  refreshLongView,
  type SchemaReport,
} from './wide-schema.js';
import { WideWriter } from './wide-write.js';

const DAY = 86_400_000;

function aggregateOf(p: BucketParts, agg: SeriesQuery['agg']): number {
  switch (agg) {
    case 'mean':
      return p.total / p.n;
    case 'min':
      return p.lo;
    case 'max':
      return p.hi;
    case 'sum':
      return p.total;
    case 'count':
      return p.n;
    case 'last':
      return p.last;
  }
}

const CONTRACT_DOMAIN_METRICS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(METRICS).map(([domain, list]) => [domain, list.map((m) => m.name)]),
);

export class DuckDbStore implements TelemetryStore {
  readonly kind = 'duckdb';
  private instance: DuckDBInstance | undefined;
  private writer: DuckDBConnection | undefined;
  private reader: DuckDBConnection | undefined;
  private wide: WideWriter | undefined;
  private rollupStorage: DuckDbRollups | undefined;
  private rollupWriter: DuckDBConnection | undefined;
  private seriesWriter: DuckDBConnection | undefined;
  private seriesRollup: SeriesRollup | undefined;
  private seriesTimer: NodeJS.Timeout | undefined;
  private columns = new Set<string>();
  private lastWriteFailed = false;
  /** What the last open did to the file's schema (a migration, added columns). */
  schema: SchemaReport | undefined;

  constructor(
    private readonly path: string,
    private readonly memoryLimit = '256MB',
    /** The metrics the table has a column for at open: the contract's, unless a test narrows it. */
    private readonly domainMetrics: Readonly<Record<string, readonly string[]>> = CONTRACT_DOMAIN_METRICS,
  ) {}

  async open(): Promise<void> {
    if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
    // The embedded store shares the machine with the server: bound DuckDB's buffer pool (it defaults to 80 % of RAM).
    // Its allocator's background thread hands freed pages back to the OS while the store is idle;
    // without it a burst of writes leaves them mapped (about 20 MB after 50,000 readings).
    this.instance = await DuckDBInstance.create(this.path, {
      memory_limit: this.memoryLimit,
      allocator_background_threads: 'true',
    });
    this.writer = await this.instance.connect();
    this.reader = await this.instance.connect();
    this.schema = await ensureWideSchema(this.writer, [...new Set(Object.values(this.domainMetrics).flat())]);
    this.columns = new Set(this.schema.metrics);
    await ensureRollupSchema(this.writer);
    this.rollupWriter = await this.instance.connect();
    this.rollupStorage = new DuckDbRollups(this.reader, this.rollupWriter);
    this.seriesWriter = await this.instance.connect();
    const seriesRollup = await SeriesRollup.create(this.reader, this.seriesWriter);
    this.seriesRollup = seriesRollup;
    // Built in the background from the start (a large file takes a while); queries wait for it.
    const refresh = () => seriesRollup.refresh().catch(() => undefined);
    void refresh();
    this.seriesTimer = setInterval(() => void refresh(), 60_000);
    this.seriesTimer.unref();
    const newest = await this.writer.runAndReadAll(`SELECT max(batch) AS batch FROM ${WIDE_TABLE}`);
    const nextBatch = Number(newest.getRowObjectsJS()[0]?.batch ?? 0) + 1;
    const writer = this.writer;
    this.wide = new WideWriter(
      writer,
      {
        hasColumn: (metric) => this.columns.has(metric),
        addColumns: async (metrics) => {
          await addMissingColumns(writer, metrics);
          this.columns = new Set(await refreshLongView(writer));
        },
      },
      nextBatch,
    );
  }

  /** Brings the daily series aggregates up to every stored reading now (they also refresh on their own). */
  async refreshAggregates(): Promise<void> {
    await this.seriesRollup?.refresh();
  }

  rollups(): RollupStorage | undefined {
    return this.rollupStorage;
  }

  /** Raw readings of some metrics, per device in time order (only rows holding one of them). */
  async points(query: PointsQuery): Promise<Map<string, DevicePoints>> {
    const { reader } = this.connections();
    const out = new Map<string, DevicePoints>();
    const metrics = query.metrics.filter((m) => this.columns.has(m));
    if (query.devices.length === 0 || metrics.length === 0) return out;
    const columns = metrics.map(metricColumn);
    // Devices travel as their index in the query: a string per row cost most of a load's conversion (profiled).
    const mapping = query.devices.map((device, k) => `(${sqlStringList([device])}, ${k})`).join(', ');
    // No ORDER BY: rows come in the order they were stored, which is time order for all but the
    // readings that came late, and those are put in place below. Sorting every row by device and
    // time was half of the load of a quarter of 252 bins (measured: 200 ms of the query's 300).
    const result = await reader.run(
      `SELECT m.k AS k, ts::DOUBLE AS ts, ${columns.map((c) => `r.${c}`).join(', ')}
       FROM ${WIDE_TABLE} r JOIN (VALUES ${mapping}) AS m(device, k) ON r.device = m.device
       WHERE ts >= $from AND ts < $to AND (${columns.map((c) => `r.${c} IS NOT NULL`).join(' OR ')})`,
      { from: BigInt(query.from), to: BigInt(query.to) },
    );
    const loaded: (DevicePoints & { columns: (number | null)[][] })[] = [];
    // Chunk by chunk, a typed getItem per value: a year of a fleet is millions of values, and the
    // generic column conversion (getColumnsJS) took most of a cold waste analysis (profiled).
    for (let c = 0; c < result.chunkCount; c += 1) {
      const chunk = result.getChunk(c);
      const indexes = chunk.getColumnVector(0);
      const times = chunk.getColumnVector(1);
      const vectors = metrics.map((_, m) => chunk.getColumnVector(2 + m));
      // rowCount asks the native chunk each time: a sixth of a cold waste analysis when read per row.
      const rows = chunk.rowCount;
      for (let i = 0; i < rows; i += 1) {
        const k = indexes.getItem(i) as number;
        let device = loaded[k];
        if (!device) {
          const fresh = metrics.map((): (number | null)[] => []);
          device = {
            t: [],
            values: Object.fromEntries(metrics.map((m, j) => [m, fresh[j] ?? []])),
            columns: fresh,
          };
          loaded[k] = device;
        }
        device.t.push(times.getItem(i) as number);
        for (let m = 0; m < vectors.length; m += 1)
          (device.columns[m] as (number | null)[]).push((vectors[m]?.getItem(i) as number | null) ?? null);
      }
    }
    loaded.forEach((device, k) => {
      if (device) out.set(query.devices[k] as string, inTimeOrder({ t: device.t, values: device.values }));
    });
    return out;
  }

  private connections(): { writer: DuckDBConnection; reader: DuckDBConnection; wide: WideWriter } {
    if (!this.writer || !this.reader || !this.wide) throw new Error('DuckDB store is not open');
    return { writer: this.writer, reader: this.reader, wide: this.wide };
  }

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    const { wide } = this.connections();
    try {
      const result = await wide.write(readings);
      this.lastWriteFailed = false;
      return result;
    } catch (error) {
      this.lastWriteFailed = true;
      throw error;
    }
  }

  async series(query: SeriesQuery): Promise<SeriesResult> {
    const { reader } = this.connections();
    const t = bucketStarts(query.from, query.to, query.step);
    const index = new Map(t.map((start, i) => [start, i]));
    const series = query.selectors.map((selector) => ({
      key: selector.key,
      metric: query.metric,
      values: new Array<number | null>(t.length).fill(null),
    }));
    // One scan for every selector: each device is mapped to the selector(s) it belongs to.
    const mapping = query.selectors.flatMap((selector, k) =>
      selector.devices.map((device) => `(${sqlStringList([device])}, ${k})`),
    );
    // A metric no reading ever carried has no column: every bucket is empty, as with no rows.
    if (mapping.length === 0 || !this.columns.has(query.metric)) return { t, series };
    if (this.seriesRollup && SeriesRollup.serves(query)) return this.seriesFromRollup(query, t, series);
    const column = metricColumn(query.metric);
    const only = query.selectors.length === 1 ? query.selectors[0] : undefined;
    // A single selector filters with IN, which DuckDB pushes into the scan; several share one join.
    const source = only
      ? `(SELECT 0 AS k, ts, ${column} AS value FROM ${WIDE_TABLE} WHERE device IN (${sqlStringList(only.devices)}))`
      : `(SELECT m.k, r.ts, r.${column} AS value FROM ${WIDE_TABLE} r JOIN (VALUES ${mapping.join(', ')}) AS m(device, k) ON r.device = m.device)`;
    const result = await reader.runAndReadAll(
      `SELECT k, (ts // $step) * $step AS bucket, ${aggregateSql(query.agg)} AS v
       FROM ${source}
       WHERE value IS NOT NULL AND ts >= $from AND ts < $to
       GROUP BY k, bucket`,
      { step: BigInt(query.step), from: BigInt(query.from), to: BigInt(query.to) },
    );
    for (const row of result.getRowObjectsJS()) {
      const i = index.get(Number(row.bucket));
      const target = series[Number(row.k)];
      if (i !== undefined && target && row.v !== null) target.values[i] = Number(row.v);
    }
    return { t, series };
  }

  /** Whole days from the daily aggregates, the partial days at the ends from the readings (series-rollup.ts). */
  private async seriesFromRollup(
    query: SeriesQuery,
    t: number[],
    series: SeriesResult['series'],
  ): Promise<SeriesResult> {
    const { reader } = this.connections();
    const rollup = this.seriesRollup as SeriesRollup;
    const mapping = selectorMapping(query);
    const dayFrom = Math.ceil(query.from / DAY) * DAY;
    const dayTo = Math.floor(query.to / DAY) * DAY;
    const parts = [
      await readingParts(reader, mapping, query.metric, query.step, query.from, dayFrom),
      await rollup.wholeDays(mapping, query.metric, query.step, dayFrom, dayTo),
      await readingParts(reader, mapping, query.metric, query.step, dayTo, query.to),
    ];
    series.forEach((s, k) => {
      t.forEach((bucket, i) => {
        const key = `${k}|${bucket}`;
        const p = parts.reduce<BucketParts | undefined>((acc, m) => mergeParts(acc, m.get(key)), undefined);
        if (p) s.values[i] = aggregateOf(p, query.agg);
      });
    });
    return { t, series };
  }

  async latest(devices: readonly string[]): Promise<Map<string, Record<string, LatestValue>>> {
    const { reader } = this.connections();
    const latest = new Map<string, Record<string, LatestValue>>();
    if (devices.length === 0) return latest;
    const metrics = [...this.columns];
    const picks = metrics.flatMap((m, i) => {
      const c = metricColumn(m);
      return [
        `arg_max(${c}, ts) FILTER (WHERE ${c} IS NOT NULL) AS v${i}`,
        `max(ts) FILTER (WHERE ${c} IS NOT NULL) AS t${i}`,
      ];
    });
    const result = await reader.runAndReadAll(
      `SELECT device, ${picks.join(', ')} FROM ${WIDE_TABLE} WHERE device IN (${sqlStringList(devices)}) GROUP BY device`,
    );
    for (const row of result.getRowObjectsJS()) {
      const entry: Record<string, LatestValue> = {};
      metrics.forEach((metric, i) => {
        const ts = row[`t${i}`];
        if (ts !== null && ts !== undefined) entry[metric] = { value: Number(row[`v${i}`]), ts: Number(ts) };
      });
      latest.set(row.device as string, entry);
    }
    return latest;
  }

  async lastSeen(): Promise<Map<string, number>> {
    const { reader } = this.connections();
    const result = await reader.runAndReadAll(
      `SELECT device, max(ts) AS ts FROM ${WIDE_TABLE} GROUP BY device`,
    );
    return new Map(result.getRowObjectsJS().map((row) => [row.device as string, Number(row.ts)]));
  }

  /** Metric values stored (a reading with three metrics counts three), as the port defines rows. */
  async countRows(device?: string): Promise<number> {
    const { reader } = this.connections();
    const values = [...this.columns].map((m) => `count(${metricColumn(m)})`).join(' + ');
    const result =
      device === undefined
        ? await reader.runAndReadAll(`SELECT ${values} AS n FROM ${WIDE_TABLE}`)
        : await reader.runAndReadAll(`SELECT ${values} AS n FROM ${WIDE_TABLE} WHERE device = $device`, {
            device,
          });
    return Number(result.getRowObjectsJS()[0]?.n ?? 0);
  }

  /** DuckDB's own account of the memory it holds, in bytes by tag (e.g. IN_MEMORY_TABLE, ART_INDEX). */
  async memoryByTag(): Promise<Record<string, number>> {
    const { reader } = this.connections();
    const result = await reader.runAndReadAll(
      'SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0',
    );
    return Object.fromEntries(result.getRowObjectsJS().map((row) => [row.tag as string, Number(row.bytes)]));
  }

  health(): StoreHealth {
    if (!this.instance) return 'down';
    return this.lastWriteFailed ? 'degraded' : 'ok';
  }

  async close(): Promise<void> {
    // A refresh in progress finishes first: its reads need the reader, and a checkpoint waits for it.
    clearInterval(this.seriesTimer);
    await this.seriesRollup?.idle();
    // Checkpoint so the next start does not replay a large WAL.
    await this.writer?.run('CHECKPOINT').catch(() => undefined);
    for (const connection of [this.writer, this.reader, this.rollupWriter, this.seriesWriter])
      connection?.closeSync();
    this.instance?.closeSync();
    this.writer = this.reader = this.rollupWriter = this.seriesWriter = this.instance = undefined;
    this.wide = this.seriesRollup = this.rollupStorage = undefined;
  }
}

/** A device's points sorted by time, when some came out of order (readings stored late). */
export function inTimeOrder(points: DevicePoints): DevicePoints {
  const { t } = points;
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i += 1) sorted = (t[i - 1] as number) <= (t[i] as number);
  if (sorted) return points;
  const order = t.map((_, i) => i).sort((a, b) => (t[a] as number) - (t[b] as number));
  return {
    t: order.map((i) => t[i] as number),
    values: Object.fromEntries(
      Object.entries(points.values).map(([metric, v]) => [metric, order.map((i) => v[i] ?? null)]),
    ),
  };
}
