import { describe, expect, it } from 'vitest';
import { parsePlanted, plantedFor, savingsSlope } from './calibration.js';
import type { Check } from './evidence-run.js';

describe('the calibration grid', () => {
  it('reads one planted point for every run; unnamed dimensions plant nothing', () => {
    expect(parsePlanted('savings=0.4,bicycle=0.5,smart=off')).toEqual({
      savings: 0.4,
      bicycle: 0.5,
      escooter: 0,
      smartCollection: false,
    });
    for (const bad of ['savings=', 'bikes=0.2', 'smart=maybe', 'escooter=x'])
      expect(() => parsePlanted(bad)).toThrow();
  });

  it('has no savings slope for a single planted value, and the least-squares slope otherwise', () => {
    const run = (savings: number, estimate: number) => ({
      planted: { ...plantedFor(0), savings },
      checks: [{ primary: true, experiment: 'school-retrofit', kpi: 'savings_fraction', estimate } as Check],
    });
    // Sixty runs at 0.4: the mean of the planted values is not exactly 0.4.
    expect(savingsSlope(Array.from({ length: 60 }, (_, i) => run(0.4, 0.39 + i / 3000)))).toBeNaN();
    expect(savingsSlope([run(0, 0.01), run(0.2, 0.21), run(0.4, 0.41)])).toBeCloseTo(1, 9);
  });
});
