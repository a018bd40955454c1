/**
 * Moving-block bootstrap over days (Künsch 1989). Sensor series are
 * autocorrelated (weather spells, weekly cycles), so resampling single days
 * would understate the spread; blocks of consecutive days keep that structure.
 * Each stratum (e.g. the baseline and the reporting period) is resampled on
 * its own, so every replicate keeps the design's before/after split.
 */
import { seededRandom } from './seeded-random.js';

/** One replicate: for each stratum, the indices (into that stratum's day list) drawn, with repeats. */
export type Replicate = number[][];

export interface BootstrapOptions {
  replicates: number;
  blockDays: number;
  seed: number;
}

/** Draws `length` indices from 0..length-1 as concatenated blocks of consecutive indices. */
export function drawBlocks(length: number, blockDays: number, random: () => number): number[] {
  if (length === 0) return [];
  const block = Math.max(1, Math.min(blockDays, length));
  const starts = length - block + 1;
  const out: number[] = [];
  while (out.length < length) {
    const start = Math.floor(random() * starts);
    for (let k = 0; k < block && out.length < length; k++) out.push(start + k);
  }
  return out;
}

/** The stratified resamples of one seeded bootstrap run. */
export function* resamples(
  strataLengths: readonly number[],
  options: BootstrapOptions,
): Generator<Replicate> {
  const random = seededRandom(options.seed);
  for (let b = 0; b < options.replicates; b++) {
    yield strataLengths.map((n) => drawBlocks(n, options.blockDays, random));
  }
}

/** Replicate statistics, computed by `statistic` on each stratified resample; non-finite values are dropped. */
export function blockBootstrap(
  strataLengths: readonly number[],
  statistic: (replicate: Replicate) => number,
  options: BootstrapOptions,
): number[] {
  const values: number[] = [];
  for (const replicate of resamples(strataLengths, options)) {
    const value = statistic(replicate);
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** Linear-interpolated quantile (numpy's default, "type 7"). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Percentile interval of the replicate values. */
export function percentileInterval(values: readonly number[], level = 0.95): [number, number] {
  const tail = (1 - level) / 2;
  return [quantile(values, tail), quantile(values, 1 - tail)];
}
