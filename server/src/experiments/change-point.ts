/**
 * ASHRAE Guideline 14's three-parameter heating change-point model (3PH) for one day type of one
 * building: kWh/day = b0 + b1·max(0, Tb − T), the balance temperature Tb chosen by least squares.
 * Option C (option-c.ts) and the comparison group (comparison-group.ts) fit it per building.
 */
import { HingeSums } from './hinge-sums.js';
import type { Period } from './did.js';

export interface ModelDay {
  site: string;
  date: string;
  period: Period;
  y: number;
  /** Heating degree days, base 18 °C. */
  hdd: number;
  /** Daily mean outdoor temperature, °C; 18 − hdd when absent. */
  temp?: number;
  occupied: boolean;
}

/** One day type's 3PH model: y = b0 + b1·max(0, tb − T). */
export interface ChangePoint {
  b0: number;
  b1: number;
  tb: number;
  n: number;
  /** False when the baseline has no days on the warm side of Tb (see fitChangePoint). */
  identified: boolean;
  /** When not identified: the fits at the lowest and highest balance temperature the baseline allows. */
  bounds?: { low: Line3; high: Line3 };
}

export interface Line3 {
  b0: number;
  b1: number;
  tb: number;
}

const TB_STEP = 0.5;
const TB_GRID = Array.from({ length: 29 }, (_, i) => 8 + i * TB_STEP); // 8 … 22 °C
const MIN_DAYS_PER_TYPE = 8;

/** A day's mean outdoor temperature (from its heating degree days when none was measured). */
export const tempOf = (d: ModelDay): number => d.temp ?? 18 - d.hdd;

/**
 * Where the baseline has (almost) no days warmer than the best balance
 * temperature, the data cannot say where heating stops: any Tb between the
 * warmest baseline days and the conventional 18 °C base fits them alike, and
 * mild reporting days are an extrapolation. The estimate then uses the middle
 * of that range, and the interval is the union of the bootstrap intervals at
 * its two ends, so it carries the extrapolation uncertainty instead of hiding it.
 */
const MIN_DAYS_ABOVE_TB = 5;
const CONVENTIONAL_BASE_C = 18;

/**
 * Whether squared error `a` beats `b` by more than rounding. Above the warmest baseline day every Tb
 * fits alike (the hinge is then a straight line in T), and the sums' rounding must not pick among
 * them: ties go to the cooler Tb.
 */
const clearlyBelow = (a: number, b: number) =>
  Number.isFinite(b) ? a < b - 1e-9 * Math.max(1, Math.abs(b)) : a < b;

/**
 * The 3PH fit with the least squared error: a 0.5 °C grid over 8–22 °C, then a
 * golden-section refinement around the best grid point (heating slope ≥ 0).
 */
export function fitChangePoint(days: readonly ModelDay[]): ChangePoint | null {
  if (days.length < MIN_DAYS_PER_TYPE) return null;
  return changePointOf(
    HingeSums.of(
      days.map(tempOf),
      days.map((d) => d.y),
    ),
  );
}

/** The same fit from days already summed (and, for a bootstrap resample, weighted by their draws). */
export function changePointOf(sums: HingeSums): ChangePoint | null {
  if (sums.n < MIN_DAYS_PER_TYPE) return null;
  // A heating model: the slope on heating degrees is never negative.
  const hinge = (tb: number) => {
    const fit = sums.fit(tb);
    return fit && fit.b1 >= 0 ? fit : null;
  };
  const sse = (tb: number) => hinge(tb)?.sse ?? Number.POSITIVE_INFINITY;
  let bestTb: number | null = null;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const tb of TB_GRID) {
    const e = sse(tb);
    if (clearlyBelow(e, bestSse)) [bestTb, bestSse] = [tb, e];
  }
  if (bestTb === null) {
    // No heating response at all: the mean (a one-parameter model).
    return {
      b0: sums.meanY,
      b1: 0,
      tb: TB_GRID[0] as number,
      n: sums.n,
      identified: true,
    };
  }
  let [a, b] = [bestTb - TB_STEP, bestTb + TB_STEP];
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 20; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (!clearlyBelow(sse(d), sse(c))) b = d;
    else a = c;
  }
  const refined = (a + b) / 2;
  const tb = clearlyBelow(sse(refined), bestSse) ? refined : bestTb;
  const at = (t: number): Line3 | null => {
    const fit = hinge(t);
    return fit ? { b0: fit.b0, b1: fit.b1, tb: t } : null;
  };
  const identified = sums.weightAbove(tb) >= MIN_DAYS_ABOVE_TB || tb >= CONVENTIONAL_BASE_C;
  if (identified) return { ...(at(tb) as Line3), n: sums.n, identified };
  const lowTb = Math.min(tb, sums.maxTemp);
  const highTb = Math.max(CONVENTIONAL_BASE_C, lowTb);
  const [low, mid, high] = [at(lowTb), at((lowTb + highTb) / 2), at(highTb)];
  if (!low || !mid || !high) return { ...(at(tb) as Line3), n: sums.n, identified: true };
  return { ...mid, n: sums.n, identified, bounds: { low, high } };
}
