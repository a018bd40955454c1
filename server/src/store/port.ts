/** The TelemetryStore port: what ingest writes to and the API reads from. DuckDB and InfluxDB implement it. */
import type { Reading } from '../contract/index.js';
import type { DevicePoints, PointsQuery, RollupStorage } from './rollup-port.js';

export const AGGREGATES = ['mean', 'min', 'max', 'sum', 'last', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface SeriesSelector {
  /** Label of the series: a device id, or the site/pilot id when devices are pooled. */
  key: string;
  devices: readonly string[];
}

export interface SeriesQuery {
  selectors: readonly SeriesSelector[];
  metric: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Bucket width in ms; buckets are aligned to the Unix epoch (as InfluxQL GROUP BY time() is). */
  step: number;
  agg: Aggregate;
}

export interface SeriesResult {
  /** Bucket starts, epoch ms. */
  t: number[];
  /** One entry per selector, values aligned with t; null marks an empty bucket. */
  series: { key: string; metric: string; values: (number | null)[] }[];
}

export interface LatestValue {
  value: number;
  ts: number;
}

export interface WriteResult {
  /** Metric rows newly stored. */
  inserted: number;
  /** Metric rows already present (a re-delivery) and therefore ignored. */
  duplicates: number;
}

export type StoreHealth = 'ok' | 'degraded' | 'down';

export interface TelemetryStore {
  readonly kind: string;
  open(): Promise<void>;
  /** Durable when the promise resolves; idempotent on (device, metric, ts). */
  write(readings: readonly Reading[]): Promise<WriteResult>;
  series(query: SeriesQuery): Promise<SeriesResult>;
  /** Latest value of every metric of each device. */
  latest(devices: readonly string[]): Promise<Map<string, Record<string, LatestValue>>>;
  /** Newest reading time per device, to restore device state at start-up. */
  lastSeen(): Promise<Map<string, number>>;
  /** Number of stored metric rows, optionally for one device. */
  countRows(device?: string): Promise<number>;
  health(): StoreHealth;
  close(): Promise<void>;
  /** Raw readings per device in time order; stores without it are read through series() only. */
  points?(query: PointsQuery): Promise<Map<string, DevicePoints>>;
  /** Where the daily rollups keep their records; stores without it have no rollups. */
  rollups?(): RollupStorage | undefined;
}

/** Bucket starts for a query, aligned to the epoch: floor(from/step)*step up to (not including) to. */
export function bucketStarts(from: number, to: number, step: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) starts.push(t);
  return starts;
}
