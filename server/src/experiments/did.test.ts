/**
 * The DiD point estimate against an independent least-squares fit of
 * y = a + b·treat + c·post + d·treat·post, solved here by the normal equations
 * with Gaussian elimination (not the QR used elsewhere), on the same daily data.
 */
import { describe, expect, it } from 'vitest';
import { beforeAfter, differenceInDifferences, placeboPreTrend, type SiteDay } from './did.js';
import { seededRandom } from './stats/seeded-random.js';

function normalEquations(x: number[][], y: number[], w: number[]): number[] {
  const p = x[0]?.length ?? 0;
  const m = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  x.forEach((row, i) => {
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) m[a]![b]! += (w[i] as number) * row[a]! * row[b]!;
      m[a]![p]! += (w[i] as number) * row[a]! * (y[i] as number);
    }
  });
  for (let c = 0; c < p; c++) {
    const pivot = m
      .slice(c)
      .reduce((best, row, k) => (Math.abs(row[c]!) > Math.abs(m[best]![c]!) ? c + k : best), c);
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= p; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[p]! / row[i]!);
}

function panel(seed: number, ratio: boolean): SiteDay[] {
  const random = seededRandom(seed);
  const rows: SiteDay[] = [];
  const sites = [
    ['t1', 'intervention'],
    ['t2', 'intervention'],
    ['c1', 'control'],
    ['c2', 'control'],
    ['c3', 'control'],
  ] as const;
  for (let day = 0; day < 60; day++) {
    const date = new Date(Date.UTC(2026, 6, 1 + day)).toISOString().slice(0, 10);
    const period = day < 33 ? 'pre' : 'post';
    for (const [site, arm] of sites) {
      if (random() < 0.1) continue; // an unbalanced panel: some site-days missing
      const den = ratio ? 1 + Math.floor(random() * 4) : 1;
      const effect = arm === 'intervention' && period === 'post' ? 0.3 : 0;
      const num = den * (0.5 + 0.1 * Math.sin(day / 5) + effect + 0.2 * (random() - 0.5));
      rows.push({ site, arm, date, period, num, den });
    }
  }
  return rows;
}

const boot = { replicates: 200, blockDays: 7, seed: 1 };
const design = (rows: SiteDay[]) =>
  rows.map((r) => {
    const treat = r.arm === 'intervention' ? 1 : 0;
    const post = r.period === 'post' ? 1 : 0;
    return [1, treat, post, treat * post];
  });

describe('difference-in-differences', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals the OLS interaction coefficient (seed ${seed})`, () => {
      const rows = panel(seed, false);
      const d = normalEquations(
        design(rows),
        rows.map((r) => r.num / r.den),
        rows.map(() => 1),
      )[3] as number;
      expect(Math.abs(differenceInDifferences(rows, 'level', boot).estimate - d)).toBeLessThan(1e-6);
    });

    it(`equals the WLS interaction coefficient for a pooled ratio KPI (seed ${seed})`, () => {
      const rows = panel(seed, true);
      const w = rows.map((r) => r.den);
      const d = normalEquations(
        design(rows),
        rows.map((r) => r.num / r.den),
        w,
      )[3] as number;
      expect(Math.abs(differenceInDifferences(rows, 'level', boot).estimate - d)).toBeLessThan(1e-6);
    });
  }

  it('gives a reproducible interval that contains the planted effect', () => {
    const rows = panel(5, false);
    const a = differenceInDifferences(rows, 'level', boot);
    expect(differenceInDifferences(rows, 'level', boot)).toEqual(a);
    expect(a.ci_low).toBeLessThan(0.3);
    expect(a.ci_high).toBeGreaterThan(0.3);
    expect(a.n).toBe(rows.length);
  });

  it('computes the relative DiD as a ratio of ratios and the before/after contrast', () => {
    const rows: SiteDay[] = [
      { site: 't', arm: 'intervention', date: '2026-01-01', period: 'pre', num: 100, den: 1 },
      { site: 't', arm: 'intervention', date: '2026-01-02', period: 'post', num: 150, den: 1 },
      { site: 'c', arm: 'control', date: '2026-01-01', period: 'pre', num: 50, den: 1 },
      { site: 'c', arm: 'control', date: '2026-01-02', period: 'post', num: 60, den: 1 },
    ];
    expect(differenceInDifferences(rows, 'relative', boot).estimate).toBeCloseTo(1.5 / 1.2 - 1, 12);
    expect(differenceInDifferences(rows, 'level', boot).estimate).toBeCloseTo(40, 12);
    expect(beforeAfter(rows, 'relative', boot).estimate).toBeCloseTo(0.5, 12);
    expect(beforeAfter(rows, 'level', boot).estimate).toBeCloseTo(50, 12);
  });

  it('runs a placebo inside the baseline that passes on parallel arms', () => {
    const placebo = placeboPreTrend(panel(6, false), 'level', boot);
    expect(placebo?.passes).toBe(true);
    expect(placebo?.fake_start).toMatch(/^2026-07-1/);
  });
});
