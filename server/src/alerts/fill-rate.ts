/**
 * A bin's fill rate: the least-squares slope of its fill over the recent window since its last
 * collection. A straight line over several hours averages out the sensor noise (about ±1 %)
 * that a two-point difference would amplify into wild predictions. A collection is a collection
 * event, or a drop in the fill that the next reading confirms (fill-thresholds.ts, the rule the
 * live indicators and the experiments use); a drop the next reading refutes was a glitch, and its
 * reading leaves the window.
 */
import { isCollectionDrop } from '../domains/waste/fill-thresholds.js';

const HOUR_MS = 3_600_000;
const MIN_POINTS = 3;
const MIN_SPAN_MS = HOUR_MS;

export interface FillPoint {
  ts: number;
  fill: number;
}

export interface FillForecast {
  fill: number;
  ts: number;
  /** Fill per hour, null while too few points. */
  ratePerHour: number | null;
  /** Epoch ms at which the fill reaches 1, null when not rising. */
  fullAt: number | null;
}

/** Initial room, in points, of a bin's window: most bins hold a few points between collections. */
const INITIAL_POINTS = 2;
/** The window of a bin not heard from yet: shared, and frozen because it must never be written. */
const NO_POINTS = Object.freeze([]) as unknown as number[];

export class FillRate {
  /**
   * The window's points as (ts, fill) pairs, oldest first, in buf[first] … buf[end − 1]. One array
   * of unboxed doubles (16 bytes a point) instead of an object per point (about 48 bytes): 50,000
   * bins with a 12 h window of 15-minute readings hold 2.4 million points.
   */
  private buf: number[] = NO_POINTS;
  private first = 0;
  private end = 0;
  /** The fill before a drop to the last point, which the next reading confirms or refutes (NaN: none). */
  private pendingBefore = Number.NaN;

  constructor(private readonly windowMs: number) {}

  /** Number of points in the window. */
  get size(): number {
    return (this.end - this.first) / 2;
  }

  add(ts: number, fill: number): void {
    const buf = this.buf;
    const last = this.end > this.first ? (buf[this.end - 1] as number) : Number.NaN;
    if (this.end > this.first && ts <= (buf[this.end - 2] as number)) return;
    // The reading under a pending drop is always the last point (collected() cancels a pending drop).
    if (isCollectionDrop(this.pendingBefore, fill)) {
      // The window starts over at the first reading after the drop.
      const at = buf[this.end - 2] as number;
      while (this.first < this.end && (buf[this.first] as number) < at) this.first += 2;
    } else if (!Number.isNaN(this.pendingBefore)) {
      this.end -= 2;
    }
    this.pendingBefore = isCollectionDrop(last, fill) ? last : Number.NaN;
    this.append(ts, fill);
    const cutoff = ts - this.windowMs;
    // Points are in time order: drop the oldest outside the window, keeping at least MIN_POINTS.
    while (this.size > MIN_POINTS && (this.buf[this.first] as number) < cutoff) this.first += 2;
  }

  /** A collection event: the points before it describe the bin before it was emptied. */
  collected(ts: number): void {
    this.pendingBefore = Number.NaN;
    while (this.first < this.end && (this.buf[this.first] as number) <= ts) this.first += 2;
    if (this.first === this.end) this.first = this.end = 0;
  }

  /** The points, oldest first (tests and diagnostics). */
  points(): FillPoint[] {
    const out: FillPoint[] = [];
    for (let i = this.first; i < this.end; i += 2)
      out.push({ ts: this.buf[i] as number, fill: this.buf[i + 1] as number });
    return out;
  }

  private append(ts: number, fill: number): void {
    if (this.end + 2 > this.buf.length) {
      // Full: move the live points to the front, into a larger array if more than half is in use.
      const live = this.end - this.first;
      const room =
        live + 2 > this.buf.length / 2 ? Math.max(INITIAL_POINTS * 2, (live + 2) * 2) : this.buf.length;
      const next = room === this.buf.length ? this.buf : new Array<number>(room).fill(0);
      for (let i = 0; i < live; i++) next[i] = this.buf[this.first + i] as number;
      this.buf = next;
      this.first = 0;
      this.end = live;
    }
    this.buf[this.end] = ts;
    this.buf[this.end + 1] = fill;
    this.end += 2;
  }

  forecast(): FillForecast | undefined {
    if (this.end === this.first) return undefined;
    const last = { ts: this.buf[this.end - 2] as number, fill: this.buf[this.end - 1] as number };
    const fit = this.fit();
    // The fitted fill at the last reading, not the last (noisy) reading itself, starts the projection.
    const now = fit ? fit.fillAt(last.ts) : last.fill;
    const rate = fit?.ratePerHour ?? null;
    const fullAt = rate !== null && rate > 0 ? last.ts + (Math.max(0, 1 - now) / rate) * HOUR_MS : null;
    return { fill: last.fill, ts: last.ts, ratePerHour: rate, fullAt };
  }

  private fit(): { ratePerHour: number; fillAt(ts: number): number } | null {
    const n = this.size;
    const buf = this.buf;
    if (n < MIN_POINTS) return null;
    const firstTs = buf[this.first] as number;
    if ((buf[this.end - 2] as number) - firstTs < MIN_SPAN_MS) return null;
    const hours = (ts: number) => (ts - firstTs) / HOUR_MS;
    let mt = 0;
    let mf = 0;
    for (let i = this.first; i < this.end; i += 2) {
      mt += hours(buf[i] as number);
      mf += buf[i + 1] as number;
    }
    mt /= n;
    mf /= n;
    let num = 0;
    let den = 0;
    for (let i = this.first; i < this.end; i += 2) {
      const dt = hours(buf[i] as number) - mt;
      num += dt * ((buf[i + 1] as number) - mf);
      den += dt * dt;
    }
    if (den <= 0) return null;
    const slope = num / den;
    return { ratePerHour: slope, fillAt: (ts) => mf + slope * (hours(ts) - mt) };
  }
}
