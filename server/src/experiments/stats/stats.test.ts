/** Reference values computed once with numpy 2.4 / scipy 1.17 (np.linalg.lstsq, stats.t.ppf, np.quantile). */
import { describe, expect, it } from 'vitest';
import {
  blockBootstrap,
  drawBlocks,
  percentileInterval,
  quantile,
  smallSampleInterval,
} from './block-bootstrap.js';
import { lag1Autocorrelation, ols } from './qr-ols.js';
import { seededRandom } from './seeded-random.js';
import { normalQuantile, tQuantile } from './t-quantile.js';

const x1 = [1.285, 3.552, 12.019, 8.732, 1.412, 6.497, 7.186, 2.396, 11.019, 1.705, 5.868, 7.751];
const x2 = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
const y = [4.289, 11.436, 27.983, 19.073, 8.306, 17.755, 17.33, 9.592, 27.062, 6.956, 17.281, 19.997];

describe('ols (Householder QR)', () => {
  it('matches numpy.linalg.lstsq', () => {
    const fit = ols(
      x1.map((v, i) => [1, v, x2[i] as number]),
      y,
    );
    expect(fit.coef[0]).toBeCloseTo(5.208788310684358, 10);
    expect(fit.coef[1]).toBeCloseTo(1.9349426597482922, 10);
    expect(fit.coef[2]).toBeCloseTo(-2.4432622633145265, 10);
    expect(fit.sse).toBeCloseTo(4.193141708128285, 9);
  });

  it('rejects a rank-deficient design', () => {
    expect(() =>
      ols(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
      ),
    ).toThrow(/rank/);
  });

  it('computes the lag-1 autocorrelation', () => {
    expect(lag1Autocorrelation([1, -0.5, 0.3, 0.8, -1.2, 0.4, 0.1])).toBeCloseTo(-0.518327067669173, 12);
  });
});

describe('quantiles', () => {
  it('normal quantile matches scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(0.9999)).toBeCloseTo(3.719016485455709, 7);
  });

  it('t quantile matches scipy.stats.t.ppf', () => {
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 2);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0422724563012378, 5);
    expect(tQuantile(0.975, 178)).toBeCloseTo(1.9733808885488238, 7);
    expect(tQuantile(0.95, 60)).toBeCloseTo(1.6706488649046363, 6);
    expect(tQuantile(0.84, 20)).toBeCloseTo(1.019803554115314, 5);
  });

  it('sample quantile matches numpy (type 7)', () => {
    const v = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(quantile(v, 0.025)).toBeCloseTo(1, 12);
    expect(quantile(v, 0.5)).toBeCloseTo(3.5, 12);
    expect(quantile(v, 0.975)).toBeCloseTo(8.475, 12);
  });
});

describe('block bootstrap', () => {
  it('draws whole blocks of consecutive days, wrapping at the end, n in total', () => {
    const random = seededRandom(1);
    const draw = drawBlocks(20, 7, random);
    expect(draw).toHaveLength(20);
    for (const start of [0, 7]) {
      for (let k = 1; k < 7; k++) expect(draw[start + k]).toBe(((draw[start] as number) + k) % 20);
    }
    expect(Math.max(...draw)).toBeLessThan(20);
    expect(drawBlocks(20, 7, random, 30)).toHaveLength(30);
  });

  it('draws every day equally often (circular blocks)', () => {
    const random = seededRandom(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++)
      for (const d of drawBlocks(10, 4, random)) counts[d] = (counts[d] ?? 0) + 1;
    // 200,000 draws over 10 days: 20,000 each, sd about 140; moving blocks would give day 0 a quarter of that.
    for (const c of counts) expect(Math.abs(c - 20_000)).toBeLessThan(1_000);
  });

  it('is reproducible for a seed and centred on the mean of iid data', () => {
    const random = seededRandom(99);
    const data = Array.from({ length: 200 }, () => random());
    const mean = (r: number[][]) => (r[0] as number[]).reduce((s, i) => s + (data[i] as number), 0) / 200;
    const opts = { replicates: 400, blockDays: 5, seed: 7 };
    const a = blockBootstrap([200], mean, opts);
    expect(blockBootstrap([200], mean, opts)).toEqual(a);
    const [lo, hi] = percentileInterval(a);
    const sampleMean = data.reduce((s, v) => s + v, 0) / 200;
    expect(lo).toBeLessThan(sampleMean);
    expect(hi).toBeGreaterThan(sampleMean);
    // sd of a mean of 200 U(0,1) is 0.0204: the 95 % interval is about ±0.04
    expect(hi - lo).toBeGreaterThan(0.05);
    expect(hi - lo).toBeLessThan(0.11);
  });
});

describe('small-sample interval', () => {
  it('stretches each side about the estimate by √(k/(k−1))·t(k−1)/z', () => {
    const values = Array.from({ length: 1001 }, (_, i) => (i - 500) / 500); // percentiles ±0.95
    const [lo, hi] = smallSampleInterval(values, 0.1, 91, 7); // k = 13 blocks
    // √(13/12) · 2.178813 / 1.959964 = 1.15703 (scipy.stats.t.ppf(0.975, 12) = 2.178813)
    expect((0.1 - lo) / (0.1 + 0.95)).toBeCloseTo(1.15703, 4);
    expect((hi - 0.1) / (0.95 - 0.1)).toBeCloseTo(1.15703, 4);
  });

  it('gives no finite interval with fewer than two blocks', () => {
    expect(smallSampleInterval([1, 2, 3], 2, 10, 7)).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
  });
});
