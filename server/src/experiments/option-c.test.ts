import { describe, expect, it } from 'vitest';
import { fitBaseline, fractionalSavingsUncertainty, optionC, type ModelDay } from './option-c.js';
import { seededRandom } from './stats/seeded-random.js';
import { tQuantile } from './stats/t-quantile.js';

const limits = { cv_rmse_max: 0.3, nmbe_abs_max: 0.1, r2_min: 0.75 };
const boot = { replicates: 300, blockDays: 7, seed: 3 };

function building(site: string, savings: number, seed: number): ModelDay[] {
  const random = seededRandom(seed);
  return Array.from({ length: 240 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const period = i < 120 ? ('pre' as const) : ('post' as const);
    const hdd = Math.max(0, 12 + 6 * Math.cos(i / 20) + 2 * (random() - 0.5));
    const occupied = i % 7 < 5;
    const cf = 100 + 10 * hdd + (occupied ? 60 + 2 * hdd : 0);
    const y = cf * (1 + 0.03 * (random() - 0.5)) * (period === 'post' ? 1 - savings : 1);
    return { site, date, period, y, hdd, occupied };
  });
}

describe('IPMVP Option C', () => {
  it('recovers a planted saving with a fit that passes ASHRAE Guideline 14', () => {
    const rows = [...building('a', 0.2, 1), ...building('b', 0.2, 2)];
    const r = optionC(rows, limits, boot);
    expect(r).not.toBeNull();
    expect(r!.savings_fraction.estimate).toBeCloseTo(0.2, 2);
    expect(r!.savings_fraction.ci_low).toBeLessThan(0.2);
    expect(r!.savings_fraction.ci_high).toBeGreaterThan(0.2);
    expect(r!.avoided.estimate).toBeCloseTo(r!.adjusted_baseline - r!.measured, 9);
    for (const b of r!.buildings) {
      expect(b.passes).toBe(true);
      expect(b.cv_rmse).toBeLessThan(0.02);
      expect(Math.abs(b.nmbe)).toBeLessThan(1e-9); // OLS with an intercept: residuals sum to zero
      expect(b.r2).toBeGreaterThan(0.95);
    }
  });

  it('fails a baseline whose model explains nothing', () => {
    const random = seededRandom(9);
    const days = Array.from({ length: 60 }, (_, i) => ({
      site: 's',
      date: `d${i}`,
      period: 'pre' as const,
      y: 100 + 80 * random(),
      hdd: random() * 10,
      occupied: i % 2 === 0,
    }));
    expect(fitBaseline(days, limits)?.passes).toBe(false);
  });

  it('computes the Guideline 14 fractional savings uncertainty (hand-checked)', () => {
    // ρ = 0.2 → n′ = 100·0.8/1.2; ΔE = 1.26·t(0.975, 96)·E·CV·√((n/n′)(1+2/n′)/m)
    const b = { n: 100, p: 4, m: 50, cv_rmse: 0.1, autocorrelation: 0.2, adjusted_baseline: 1000 };
    const nPrime = (100 * 0.8) / 1.2;
    const expected =
      (1.26 * tQuantile(0.975, 96) * 1000 * 0.1 * Math.sqrt(((100 / nPrime) * (1 + 2 / nPrime)) / 50)) / 200;
    expect(fractionalSavingsUncertainty([b], 200)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.2198, 3); // 1.26·1.985·100·√(1.5·1.03/50) / 200
  });
});
