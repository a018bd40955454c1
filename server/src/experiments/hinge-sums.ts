/**
 * Least-squares fits of y = b0 + b1·max(0, tb − T) at many balance temperatures tb over one set of
 * days. The days are held sorted by temperature with running sums, so a fit at any tb costs a
 * binary search instead of a pass over the days: the change-point search tries about 70 values of
 * tb, and Option C's bootstrap refits every building's models hundreds of times.
 *
 * Days carry weights: a bootstrap resample is the baseline's days, each counted as often as it was
 * drawn, so a replicate reuses the baseline's one sort (see BaselineResampler).
 *
 * Sums are taken about the weighted means of T and y, which keeps the differences of large sums
 * that follow well inside double precision.
 */
export interface HingeLine {
  b0: number;
  b1: number;
  sse: number;
}

export class HingeSums {
  /** Total weight: the number of days, a resampled day counted once per draw. */
  readonly n: number;
  readonly meanY: number;
  /** The warmest temperature among days of positive weight. */
  readonly maxTemp: number;
  private readonly meanT: number;
  private readonly syy: number;
  private readonly temps: Float64Array;
  /** Over the i coolest days (index i): total weight, and weighted sums of T, T², y and T·y, centred. */
  private readonly sumW: Float64Array;
  private readonly sumT: Float64Array;
  private readonly sumT2: Float64Array;
  private readonly sumY: Float64Array;
  private readonly sumTY: Float64Array;

  /** Days in any order, each of weight one. */
  static of(temps: readonly number[], y: readonly number[]): HingeSums {
    const order = Array.from({ length: temps.length }, (_, i) => i).sort(
      (a, b) => (temps[a] as number) - (temps[b] as number),
    );
    return new HingeSums(
      Float64Array.from(order, (i) => temps[i] as number),
      Float64Array.from(order, (i) => y[i] as number),
    );
  }

  /** `sortedTemps` ascending, `y` in the same order, `weights` (default one each) too. */
  constructor(sortedTemps: Float64Array, y: Float64Array, weights?: ArrayLike<number>) {
    const count = sortedTemps.length;
    const w = (i: number) => (weights ? (weights[i] as number) : 1);
    let n = 0;
    let sT = 0;
    let sY = 0;
    let maxTemp = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const wi = w(i);
      if (wi <= 0) continue;
      n += wi;
      sT += wi * (sortedTemps[i] as number);
      sY += wi * (y[i] as number);
      maxTemp = sortedTemps[i] as number;
    }
    this.n = n;
    this.meanT = n > 0 ? sT / n : 0;
    this.meanY = n > 0 ? sY / n : 0;
    this.maxTemp = maxTemp;
    this.temps = sortedTemps;
    this.sumW = new Float64Array(count + 1);
    this.sumT = new Float64Array(count + 1);
    this.sumT2 = new Float64Array(count + 1);
    this.sumY = new Float64Array(count + 1);
    this.sumTY = new Float64Array(count + 1);
    let syy = 0;
    for (let i = 0; i < count; i++) {
      const wi = w(i);
      const t = (sortedTemps[i] as number) - this.meanT;
      const v = (y[i] as number) - this.meanY;
      this.sumW[i + 1] = (this.sumW[i] as number) + wi;
      this.sumT[i + 1] = (this.sumT[i] as number) + wi * t;
      this.sumT2[i + 1] = (this.sumT2[i] as number) + wi * t * t;
      this.sumY[i + 1] = (this.sumY[i] as number) + wi * v;
      this.sumTY[i + 1] = (this.sumTY[i] as number) + wi * t * v;
      syy += wi * v * v;
    }
    this.syy = syy;
  }

  /** The fit at balance temperature tb, or null when no day is colder than tb or all are equally so. */
  fit(tb: number): HingeLine | null {
    const b = tb - this.meanT;
    const i = this.firstNotBelow(tb, false);
    const k = this.sumW[i] as number;
    const sT = this.sumT[i] as number;
    const sx = k * b - sT;
    const sxx = k * b * b - 2 * b * sT + (this.sumT2[i] as number) - (sx * sx) / this.n;
    if (sxx <= 1e-12 * this.n) return null;
    // Σ(x − x̄)(y − ȳ) = Σx·(y − ȳ), as the centred y sum to zero.
    const sxy = b * (this.sumY[i] as number) - (this.sumTY[i] as number);
    const b1 = sxy / sxx;
    return { b0: this.meanY - (b1 * sx) / this.n, b1, sse: Math.max(0, this.syy - b1 * sxy) };
  }

  /** Total weight of the days warmer than tb. */
  weightAbove(tb: number): number {
    return this.n - (this.sumW[this.firstNotBelow(tb, true)] as number);
  }

  /** Index of the first day warmer than tb (or, with `orEqual` false, not colder than tb). */
  private firstNotBelow(tb: number, orEqual: boolean): number {
    let lo = 0;
    let hi = this.temps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.temps[mid] as number;
      if (t < tb || (orEqual && t === tb)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
