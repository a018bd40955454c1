/**
 * A read-only TelemetryStore over raw points already loaded (store.points()), so that the
 * domains' own KPI functions, which read through the port, can run over any stretch of them
 * without a query each: the rollups compute a device-day many times (with and without the days
 * around it) from one load. Buckets and aggregates follow the stores' SQL exactly; `last` is the
 * value at the newest time in the bucket, which is all the KPI code asks for.
 */
import type { Reading } from '../../contract/index.js';
import {
  bucketStarts,
  type LatestValue,
  type SeriesQuery,
  type SeriesResult,
  type TelemetryStore,
  type WriteResult,
} from '../../store/port.js';
import type { DevicePoints } from '../../store/rollup-port.js';

/** First index with t[i] >= value (t ascending). */
export function lowerBound(t: readonly number[], value: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Bucket {
  n: number;
  sum: number;
  min: number;
  max: number;
  lastT: number;
  last: number;
}

export class PointsStore implements TelemetryStore {
  readonly kind = 'points';

  constructor(private readonly loaded: ReadonlyMap<string, DevicePoints>) {}

  async open(): Promise<void> {}

  async write(_readings: readonly Reading[]): Promise<WriteResult> {
    throw new Error('PointsStore is read-only');
  }

  async series(query: SeriesQuery): Promise<SeriesResult> {
    const t = bucketStarts(query.from, query.to, query.step);
    const first = t[0] ?? 0;
    const series = query.selectors.map((selector) => {
      const buckets: (Bucket | undefined)[] = new Array<Bucket | undefined>(t.length);
      for (const device of selector.devices) {
        const p = this.loaded.get(device);
        const values = p?.values[query.metric];
        if (!p || !values) continue;
        for (let i = lowerBound(p.t, query.from); i < p.t.length; i += 1) {
          const ts = p.t[i] as number;
          if (ts >= query.to) break;
          const v = values[i];
          if (v === null || v === undefined) continue;
          const k = Math.floor((Math.floor(ts / query.step) * query.step - first) / query.step);
          const b = buckets[k];
          if (!b) buckets[k] = { n: 1, sum: v, min: v, max: v, lastT: ts, last: v };
          else {
            b.n += 1;
            b.sum += v;
            if (v < b.min) b.min = v;
            if (v > b.max) b.max = v;
            if (ts >= b.lastT) [b.lastT, b.last] = [ts, v];
          }
        }
      }
      const values = t.map((_, k) => {
        const b = buckets[k];
        if (!b) return null;
        switch (query.agg) {
          case 'mean':
            return b.sum / b.n;
          case 'min':
            return b.min;
          case 'max':
            return b.max;
          case 'sum':
            return b.sum;
          case 'count':
            return b.n;
          case 'last':
            return b.last;
        }
      });
      return { key: selector.key, metric: query.metric, values };
    });
    return { t, series };
  }

  async latest(): Promise<Map<string, Record<string, LatestValue>>> {
    return new Map();
  }

  async lastSeen(): Promise<Map<string, number>> {
    return new Map();
  }

  async countRows(): Promise<number> {
    return 0;
  }

  health() {
    return 'ok' as const;
  }

  async close(): Promise<void> {}
}
