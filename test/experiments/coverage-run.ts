/**
 * One seed of the coverage experiment: simulate every pilot with known
 * planted effects, estimate every experiment's effects from the stored
 * readings, and check each 95 % interval against the simulators' truth.
 * Shared by coverage.int.test.ts (few seeds, short windows) and
 * scripts/coverage-check.ts (20 seeds, full windows).
 */
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { DailySeriesTemperatureSource } from '../../server/src/domains/energy/temperature-source.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { experimentEffects, type Effect } from '../../server/src/experiments/effects.js';
import { analysisWindow, findExperiment } from '../../server/src/experiments/experiment-data.js';
import { withDefaults } from '../../server/src/experiments/settings.js';
import { MemoryStore } from './memory-store.js';
import { PORTFOLIO, backfill, type TruthJson } from './sim-backfill.js';

export interface Windows {
  /** Waste and mobility share one range; energy has baseline and reporting ranges (local dates, end exclusive). */
  wasteMobility: readonly [string, string];
  energy: readonly (readonly [string, string])[];
}

export const FULL_WINDOWS: Windows = {
  wasteMobility: ['2026-06-01', '2026-12-01'],
  energy: [
    ['2025-11-01', '2026-05-01'],
    ['2026-09-15', '2027-03-01'],
  ],
};

export const SHORT_WINDOWS: Windows = {
  wasteMobility: ['2026-07-20', '2026-10-12'],
  energy: [
    ['2026-01-15', '2026-04-01'],
    ['2026-10-15', '2027-01-01'],
  ],
};

export interface Check {
  experiment: string;
  kpi: string;
  method: Effect['method'];
  primary: boolean;
  estimate: number;
  ci_low: number;
  ci_high: number;
  truth: number | null;
  covered: boolean | null;
}

const STORED = [
  'fill',
  'energy_kwh',
  ...['pedestrian', 'bicycle', 'escooter', 'car', 'bus'].flatMap((c) => [`${c}_in`, `${c}_out`]),
];

export async function coverageRun(
  seed: number,
  scenario: string | undefined,
  windows: Windows,
  replicates: number,
): Promise<Check[]> {
  const registry = loadRegistry(PORTFOLIO);
  const calendar = new LocalCalendar(registry.portfolio.timezone);
  const store = new MemoryStore(new Set(STORED));
  const wm = await backfill({
    store,
    seed,
    ranges: [windows.wasteMobility],
    domains: ['waste', 'mobility'],
    scenario,
    registry,
  });
  const en = await backfill({ store, seed, ranges: windows.energy, domains: ['energy'], scenario, registry });
  // The simulator's own daily weather: what HDD must be computed from to judge the estimator.
  const temperature = DailySeriesTemperatureSource.fromRecords(en.truth.weather, 'simulator-weather');
  const settings = withDefaults({ bootstrap: { replicates, blockDays: 7, seed } });
  const checks: Check[] = [];
  const jobs: [string, string, TruthJson][] = [
    ['smart-collection', windows.wasteMobility[1], wm.truth],
    ['rustaveli-bike-lane', windows.wasteMobility[1], wm.truth],
    ['school-retrofit', windows.energy[windows.energy.length - 1]?.[1] ?? '', en.truth],
  ];
  for (const [id, to, truth] of jobs) {
    const ref = findExperiment(registry, id);
    if (!ref) throw new Error(`no experiment ${id}`);
    const window = analysisWindow(
      ref,
      calendar,
      calendar.startOf(firstDate(id, windows)),
      calendar.startOf(to),
    );
    const report = await experimentEffects({ store, registry, calendar, temperature, settings }, ref, window);
    const kpis = truth.experiments.find((e) => e.id === id)?.kpis ?? [];
    for (const e of report.effects) {
      const k = kpis.find((x) => x.kpi === e.kpi);
      const target = (e.unit === 'relative change' ? k?.relative_effect : k?.effect) ?? null;
      checks.push({
        experiment: id,
        kpi: e.kpi,
        method: e.method,
        primary: e.diagnostics.primary === true,
        estimate: e.estimate,
        ci_low: e.ci_low,
        ci_high: e.ci_high,
        truth: target,
        covered: target === null ? null : e.ci_low <= target && target <= e.ci_high,
      });
    }
  }
  await store.close();
  return checks;
}

function firstDate(id: string, windows: Windows): string {
  return id === 'school-retrofit' ? (windows.energy[0]?.[0] ?? '') : windows.wasteMobility[0];
}
