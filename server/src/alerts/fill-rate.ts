/**
 * A bin's fill rate: the least-squares slope of its fill over the recent window since its last
 * collection. A straight line over several hours averages out the sensor noise (about ±1 %)
 * that a two-point difference would amplify into wild predictions.
 */

const HOUR_MS = 3_600_000;
/** A fill drop this large is a collection even without a collection event (as the live engine assumes). */
export const COLLECTION_DROP = 0.3;
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

export class FillRate {
  private points: FillPoint[] = [];

  constructor(private readonly windowMs: number) {}

  add(ts: number, fill: number): void {
    const last = this.points[this.points.length - 1];
    if (last && ts <= last.ts) return;
    if (last && last.fill - fill >= COLLECTION_DROP) this.points = [];
    this.points.push({ ts, fill });
    const cutoff = ts - this.windowMs;
    let drop = 0;
    while (drop < this.points.length - MIN_POINTS && (this.points[drop]?.ts ?? ts) < cutoff) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }

  /** A collection event: the points before it describe the bin before it was emptied. */
  collected(ts: number): void {
    this.points = this.points.filter((p) => p.ts > ts);
  }

  forecast(): FillForecast | undefined {
    const last = this.points[this.points.length - 1];
    if (!last) return undefined;
    const fit = this.fit();
    // The fitted fill at the last reading, not the last (noisy) reading itself, starts the projection.
    const now = fit ? fit.fillAt(last.ts) : last.fill;
    const rate = fit?.ratePerHour ?? null;
    const fullAt = rate !== null && rate > 0 ? last.ts + (Math.max(0, 1 - now) / rate) * HOUR_MS : null;
    return { fill: last.fill, ts: last.ts, ratePerHour: rate, fullAt };
  }

  private fit(): { ratePerHour: number; fillAt(ts: number): number } | null {
    const n = this.points.length;
    const first = this.points[0];
    const last = this.points[n - 1];
    if (n < MIN_POINTS || !first || !last || last.ts - first.ts < MIN_SPAN_MS) return null;
    const hours = (ts: number) => (ts - first.ts) / HOUR_MS;
    let mt = 0;
    let mf = 0;
    for (const p of this.points) {
      mt += hours(p.ts);
      mf += p.fill;
    }
    mt /= n;
    mf /= n;
    let num = 0;
    let den = 0;
    for (const p of this.points) {
      const dt = hours(p.ts) - mt;
      num += dt * (p.fill - mf);
      den += dt * dt;
    }
    if (den <= 0) return null;
    const slope = num / den;
    return { ratePerHour: slope, fillAt: (ts) => mf + slope * (hours(ts) - mt) };
  }
}
