/**
 * Each pilot's sparkline: its headline indicator over the last day in 15-minute buckets (a day of
 * them restored from the store at start-up, engine-restore.ts), the newest bucket following the live
 * value. A counter pilot's headline is its passages per bucket; the bucket under way is scaled to a
 * whole one, so the line does not dip each time a bucket starts.
 */
import type { TrendPoint } from '../contract/index.js';

export const TREND_STEP_MS = 15 * 60_000;
export const TREND_POINTS = 96;
/** The bucket under way is scaled up from at least this much of it. */
const MIN_SCALE_MS = 60_000;

export class PilotTrends {
  private readonly points = new Map<string, TrendPoint[]>();
  private readonly passages = new Map<string, { bucket: number; total: number }>();

  constructor(
    readonly stepMs = TREND_STEP_MS,
    readonly size = TREND_POINTS,
  ) {}

  bucketOf(ms: number): number {
    return Math.floor(ms / this.stepMs) * this.stepMs;
  }

  /** Passages one of the pilot's counters counted over the interval ending at `ts`. */
  count(pilot: string, ts: number, total: number): void {
    const bucket = this.bucketOf(ts - 1);
    const sum = this.passages.get(pilot);
    if (!sum || bucket > sum.bucket) this.passages.set(pilot, { bucket, total });
    else if (bucket === sum.bucket) sum.total += total;
    // A late reading for a past bucket leaves the sparkline as it is; the store has it.
  }

  /** The counter pilot's passages in the bucket under way, scaled to a whole bucket; null before any. */
  passagesPerBucket(pilot: string, now: number): number | null {
    const sum = this.passages.get(pilot);
    if (!sum || sum.bucket !== this.bucketOf(now)) return null;
    const elapsed = Math.min(this.stepMs, Math.max(MIN_SCALE_MS, now - sum.bucket));
    return (sum.total * this.stepMs) / elapsed;
  }

  /** The sparkline with `value` as the current bucket's (null leaves it as it is). */
  sample(pilot: string, value: number | null, now: number): TrendPoint[] {
    const trend = this.points.get(pilot) ?? [];
    const t = this.bucketOf(now);
    const last = trend[trend.length - 1];
    if (value !== null && (!last || t >= last.t)) {
      // A new point, never a changed one: entities already sent share the old points.
      if (last?.t === t) trend[trend.length - 1] = { t, v: value };
      else trend.push({ t, v: value });
      if (trend.length > this.size) trend.splice(0, trend.length - this.size);
      this.points.set(pilot, trend);
    }
    return trend.slice();
  }

  /** A day from the store, oldest first (a counter pilot's in passages per bucket, the last one so far). */
  restore(pilot: string, points: readonly TrendPoint[], counter: boolean): void {
    const trend = points.slice(-this.size);
    this.points.set(pilot, trend);
    const last = trend[trend.length - 1];
    if (counter && last) this.passages.set(pilot, { bucket: last.t, total: last.v });
  }
}
