/**
 * The DiD point estimate against an independent least-squares fit of
 * y = a + b·treat + c·post + d·treat·post, solved here by the normal equations
 * with Gaussian elimination (not the QR used elsewhere), on the same daily data.
 */
import { describe, expect, it } from 'vitest';
import {
  beforeAfter,
  differenceInDifferences,
  placeboPreTrend,
  realisedDifferenceInDifferences,
  type SiteDay,
} from './did.js';
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

/**
 * A fill-triggered round: the treated sites' reporting-period value has no
 * scatter, but the counterfactual they would have shown is a noisy draw that
 * is never observed. The realised effect is observed − that draw.
 */
function realisedPanel(seed: number): { rows: SiteDay[]; truth: number } {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: SiteDay[] = [];
  let observed = 0;
  let counterfactual = 0;
  for (let day = 0; day < 84; day++) {
    const date = new Date(Date.UTC(2026, 5, 1 + day)).toISOString().slice(0, 10);
    const period = day < 42 ? 'pre' : 'post';
    const shock = 0.05 * normal();
    for (const [site, arm] of [
      ['t1', 'intervention'],
      ['t2', 'intervention'],
      ['c1', 'control'],
      ['c2', 'control'],
      ['c3', 'control'],
    ] as const) {
      const untreated = 0.5 + shock + 0.15 * normal();
      const value = arm === 'intervention' && period === 'post' ? 0.2 : untreated;
      if (arm === 'intervention' && period === 'post') {
        observed += value;
        counterfactual += untreated;
      }
      rows.push({ site, arm, date, period, num: value, den: 1 });
    }
  }
  return { rows, truth: (observed - counterfactual) / 84 };
}

describe('difference-in-differences for a realised effect', () => {
  it('has the DiD point estimate', () => {
    const rows = panel(4, true);
    expect(realisedDifferenceInDifferences(rows, 'level', boot).estimate).toBeCloseTo(
      differenceInDifferences(rows, 'level', boot).estimate,
      12,
    );
  });

  it('covers the realised effect of a scatter-free treated policy where resampling the treated arm does not', () => {
    let realised = 0;
    let expected = 0;
    const seeds = 40;
    for (let seed = 1; seed <= seeds; seed++) {
      const { rows, truth } = realisedPanel(seed);
      const options = { replicates: 199, blockDays: 7, seed };
      const a = realisedDifferenceInDifferences(rows, 'level', options);
      const b = differenceInDifferences(rows, 'level', options);
      if (a.ci_low <= truth && truth <= a.ci_high) realised += 1;
      if (b.ci_low <= truth && truth <= b.ci_high) expected += 1;
    }
    expect(realised).toBeGreaterThanOrEqual(36);
    expect(expected).toBeLessThan(realised);
  });
});
