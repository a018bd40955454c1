/**
 * Calibration in CI: three cells of planted effects × three seeds, each run a started server fed
 * through its ingest with the portfolio's own baseline and reporting periods, effects read over
 * HTTP and scored against the simulators' truth (which never reaches the server). The full grid —
 * five savings, three uplifts of each kind, smart collection on and off, ten seeds a cell — is
 * scripts/coverage-check.ts, whose table is in docs/experiments.md.
 *
 * The bar per primary KPI: at least 7 of 9 intervals cover the truth (a calibrated 95 % interval
 * misses more than twice in 9 with probability under 1 %), mean bias within 0.03 on fractions, and
 * every savings estimate within 0.05 of what was planted.
 */
import { describe, expect, it } from 'vitest';
import { savingsSlope, scoreCells } from './calibration.js';
import { evidenceRun, type Check, type Planted } from './evidence-run.js';

const CELLS: Planted[] = [
  { savings: 0.1, bicycle: 0.2, escooter: 0.3, smartCollection: true },
  { savings: 0.4, bicycle: 0.5, escooter: 0, smartCollection: false },
  { savings: 0, bicycle: 0, escooter: 0.1, smartCollection: true },
];
const SEEDS = [1, 2, 3];
const FRACTIONS = new Set(['fraction', 'relative change', 'fraction of bin-days']);

describe('calibration of the evidence, through a started server', () => {
  it('covers, is unbiased, and recovers the planted savings over 3 cells × 3 seeds', async () => {
    const runs: { planted: Planted; checks: Check[] }[] = [];
    for (const planted of CELLS)
      for (const seed of SEEDS) runs.push({ planted, checks: await evidenceRun(seed, planted) });

    const byKpi = new Map<string, Check[]>();
    for (const check of runs.flatMap((r) => r.checks.filter((c) => c.primary && c.truth !== null)))
      byKpi.set(`${check.experiment}/${check.kpi}`, [
        ...(byKpi.get(`${check.experiment}/${check.kpi}`) ?? []),
        check,
      ]);
    expect([...byKpi.keys()].sort()).toHaveLength(12);
    const table = [...byKpi].map(([kpi, checks]) => {
      const bias = checks.reduce((s, c) => s + c.estimate - (c.truth as number), 0) / checks.length;
      return {
        kpi,
        covered: checks.filter((c) => c.covered).length,
        runs: checks.length,
        bias,
        unit: checks[0]?.unit,
      };
    });
    console.log('calibration (CI grid):', table);
    console.log(
      'cells:',
      scoreCells(runs).map((c) => `${c.kpi} ${c.cell}: ${c.covered}/${c.runs} bias ${c.bias.toFixed(3)}`),
    );
    console.log('savings slope:', savingsSlope(runs).toFixed(3));
    for (const row of table) {
      expect(row.runs, row.kpi).toBe(9);
      expect(row.covered, `${row.kpi} coverage`).toBeGreaterThanOrEqual(7);
      if (FRACTIONS.has(row.unit ?? ''))
        expect(Math.abs(row.bias), `${row.kpi} bias`).toBeLessThanOrEqual(0.03);
    }
    for (const { planted, checks } of runs) {
      const savings = checks.find((c) => c.primary && c.kpi === 'savings_fraction');
      expect(
        Math.abs((savings?.estimate ?? Number.NaN) - planted.savings),
        `savings ${planted.savings}`,
      ).toBeLessThanOrEqual(0.05);
    }
  }, 1_800_000);
});
