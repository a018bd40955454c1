/**
 * An in-memory TelemetryStore for the many-seed coverage runs, where writing
 * millions of rows into DuckDB per seed would dominate the run time. Same
 * semantics as the port requires (idempotent on device, metric, ts; epoch-
 * aligned buckets); memory-store.int.test.ts holds it against DuckDbStore.
 */
import type { Reading } from '../../server/src/contract/index.js';
import {
  bucketStarts,
  type LatestValue,
  type SeriesQuery,
  type SeriesResult,
  type TelemetryStore,
  type WriteResult,
} from '../../server/src/store/port.js';

export class MemoryStore implements TelemetryStore {
  readonly kind = 'memory';
  /** device|metric → ts → value */
  private readonly rows = new Map<string, Map<number, number>>();

  constructor(private readonly keep?: ReadonlySet<string>) {}

  async open(): Promise<void> {}

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    let inserted = 0;
    let duplicates = 0;
    for (const r of readings) {
      for (const [metric, value] of Object.entries(r.metrics)) {
        if (this.keep && !this.keep.has(metric)) continue;
        const key = `${r.device}|${metric}`;
        let series = this.rows.get(key);
        if (!series) this.rows.set(key, (series = new Map<number, number>()));
        if (series.has(r.ts)) duplicates += 1;
        else {
          series.set(r.ts, value);
          inserted += 1;
        }
      }
    }
    return { inserted, duplicates };
  }

  async series(query: SeriesQuery): Promise<SeriesResult> {
    const t = bucketStarts(query.from, query.to, query.step);
    const first = t[0] ?? 0;
    const series = query.selectors.map((selector) => {
      const acc: { v: number; ts: number; n: number; sum: number; min: number; max: number }[] = [];
      for (const device of selector.devices) {
        for (const [ts, v] of this.rows.get(`${device}|${query.metric}`) ?? []) {
          if (ts < query.from || ts >= query.to) continue;
          const i = Math.floor((ts - first) / query.step);
          const a = acc[i];
          if (!a) acc[i] = { v, ts, n: 1, sum: v, min: v, max: v };
          else {
            if (ts >= a.ts) [a.v, a.ts] = [v, ts];
            a.n += 1;
            a.sum += v;
            a.min = Math.min(a.min, v);
            a.max = Math.max(a.max, v);
          }
        }
      }
      const values = t.map((_, i) => {
        const a = acc[i];
        if (!a) return null;
        return { mean: a.sum / a.n, min: a.min, max: a.max, sum: a.sum, last: a.v, count: a.n }[query.agg];
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
    let n = 0;
    for (const s of this.rows.values()) n += s.size;
    return n;
  }

  health() {
    return 'ok' as const;
  }

  async close(): Promise<void> {
    this.rows.clear();
  }
}
