/**
 * Calibration over a grid of planted effects: each run plants one value per experiment, and each
 * primary KPI is then scored per cell (the planted value of its own experiment): mean bias, RMSE,
 * coverage of the 95 % interval and median interval width, and for the savings the slope of the
 * estimate on the planted value. Runs go through a started server (evidence-run.ts).
 */
import type { Check, Planted } from './evidence-run.js';

export const SAVINGS = [0, 0.1, 0.2, 0.3, 0.4] as const;
export const BICYCLE = [0, 0.2, 0.5] as const;
export const ESCOOTER = [0, 0.1, 0.3] as const;
export const SMART_COLLECTION = [true, false] as const;

/**
 * Run `r` of a design in which every value of every dimension recurs: with 50 runs each savings
 * value gets 10 seeds, each uplift 15 to 18, each waste policy 25.
 */
export function plantedFor(r: number): Planted {
  return {
    savings: SAVINGS[r % SAVINGS.length] as number,
    bicycle: BICYCLE[r % BICYCLE.length] as number,
    escooter: ESCOOTER[Math.floor(r / 3) % ESCOOTER.length] as number,
    smartCollection: SMART_COLLECTION[Math.floor(r / 5) % SMART_COLLECTION.length] as boolean,
  };
}

/**
 * One planted point for every run, e.g. `savings=0.4,bicycle=0.5,escooter=0,smart=on`: a cell of
 * the grid (or any other point) checked over as many seeds as wanted. Unnamed dimensions keep the
 * grid's first value (no effect, smart collection on).
 */
export function parsePlanted(text: string): Planted {
  const planted: Planted = { savings: 0, bicycle: 0, escooter: 0, smartCollection: true };
  for (const part of text.split(',')) {
    const [name = '', raw = ''] = part.split('=').map((x) => x.trim());
    if (name === 'smart') {
      if (raw !== 'on' && raw !== 'off') throw new Error(`smart must be on or off, got "${raw}"`);
      planted.smartCollection = raw === 'on';
      continue;
    }
    const value = Number(raw);
    if (!['savings', 'bicycle', 'escooter'].includes(name) || raw === '' || !Number.isFinite(value))
      throw new Error(`"${part}": expected savings=, bicycle=, escooter= (numbers) or smart=on|off`);
    planted[name as 'savings' | 'bicycle' | 'escooter'] = value;
  }
  return planted;
}

/** The label of the cell a check belongs to: its own experiment's planted value. */
export function cellOf(check: Check, planted: Planted): string {
  switch (check.experiment) {
    case 'school-retrofit':
      return `savings ${planted.savings}`;
    case 'smart-collection':
      return `smart collection ${planted.smartCollection ? 'on' : 'off'}`;
    default:
      return check.kpi === 'daily_escooter'
        ? `e-scooter +${planted.escooter}`
        : `bicycle +${planted.bicycle}`;
  }
}

export interface CellScore {
  experiment: string;
  kpi: string;
  /** The primary method, with how many runs chose each when they differ. */
  method: string;
  unit: string;
  cell: string;
  runs: number;
  covered: number;
  bias: number;
  rmse: number;
  medianWidth: number;
  meanTruth: number;
  meanEstimate: number;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** "ipmvp_option_c", or "ipmvp_option_c 8, comparison_group 2" when runs chose differently. */
function methodMix(methods: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
  if (counts.size === 1) return methods[0] ?? '';
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
}

export function scoreCells(runs: { planted: Planted; checks: Check[] }[]): CellScore[] {
  const groups = new Map<string, { check: Check; planted: Planted }[]>();
  for (const { planted, checks } of runs) {
    for (const check of checks) {
      if (!check.primary || check.truth === null) continue;
      // The primary method is the product's choice per run, so a cell may mix methods: scored together.
      const key = `${check.experiment}\t${check.kpi}\t${cellOf(check, planted)}`;
      groups.set(key, [...(groups.get(key) ?? []), { check, planted }]);
    }
  }
  return [...groups].map(([key, list]) => {
    const [experiment = '', kpi = '', cell = ''] = key.split('\t');
    const errors = list.map(({ check }) => check.estimate - (check.truth as number));
    return {
      experiment,
      kpi,
      method: methodMix(list.map(({ check }) => check.method)),
      unit: list[0]?.check.unit ?? '',
      cell,
      runs: list.length,
      covered: list.filter(({ check }) => check.covered).length,
      bias: errors.reduce((s, e) => s + e, 0) / errors.length,
      rmse: Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length),
      medianWidth: median(list.map(({ check }) => check.ci_high - check.ci_low)),
      meanTruth: list.reduce((s, { check }) => s + (check.truth as number), 0) / list.length,
      meanEstimate: list.reduce((s, { check }) => s + check.estimate, 0) / list.length,
    };
  });
}

/** Least-squares slope of the primary savings estimate on the planted savings. */
export function savingsSlope(runs: { planted: Planted; checks: Check[] }[]): number {
  const points = runs.flatMap(({ planted, checks }) =>
    checks
      .filter((c) => c.primary && c.experiment === 'school-retrofit' && c.kpi === 'savings_fraction')
      .map((c) => [planted.savings, c.estimate] as const),
  );
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  // One planted value (a single cell): no slope to speak of (its mean's rounding would make one up).
  return new Set(points.map(([x]) => x)).size > 1 ? sxy / sxx : Number.NaN;
}
