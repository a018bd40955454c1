/**
 * Before/after and difference-in-differences on site-day rows, with a
 * moving-block bootstrap over days (see stats/block-bootstrap.ts).
 *
 * Every KPI is a ratio num/den per site-day (a count KPI has den = 1 per
 * site-day, a share KPI has den = collections or bin-days), and a cell value
 * is the pooled ratio Σnum/Σden over the cell's site-days. For den = 1 that
 * is the cell mean, so the level DiD equals the OLS coefficient d of
 * y = a + b·treat + c·post + d·treat·post (the saturated 2×2 model); with
 * weights den it equals the weighted least-squares coefficient.
 *
 * `relative` KPIs (counts that scale with season and weather) use the ratio of
 * ratios (T_post/T_pre)/(C_post/C_pre) − 1: the saturated log-link (Poisson)
 * DiD, unbiased when season multiplies every site alike.
 */
import {
  blockBootstrap,
  percentileInterval,
  type BootstrapOptions,
  type Replicate,
} from './stats/block-bootstrap.js';

export type Period = 'pre' | 'post';
export type ArmName = 'intervention' | 'control';
export type Scale = 'level' | 'relative';

export interface SiteDay {
  site: string;
  arm: ArmName;
  /** Local date, YYYY-MM-DD. */
  date: string;
  period: Period;
  num: number;
  den: number;
  /** Class counts behind a composition share (see share-did.ts). */
  parts?: Record<string, number>;
}

export interface IntervalEstimate {
  estimate: number;
  ci_low: number;
  ci_high: number;
  /** Site-days used. */
  n: number;
}

interface DayCell {
  tNum: number;
  tDen: number;
  cNum: number;
  cDen: number;
}

/** Per period, the days in date order with both arms' sums. */
export function dayCells(rows: readonly SiteDay[]): Record<Period, DayCell[]> {
  const byPeriod: Record<Period, Map<string, DayCell>> = { pre: new Map(), post: new Map() };
  for (const row of rows) {
    const days = byPeriod[row.period];
    let cell = days.get(row.date);
    if (!cell) days.set(row.date, (cell = { tNum: 0, tDen: 0, cNum: 0, cDen: 0 }));
    if (row.arm === 'intervention') {
      cell.tNum += row.num;
      cell.tDen += row.den;
    } else {
      cell.cNum += row.num;
      cell.cDen += row.den;
    }
  }
  const sorted = (m: Map<string, DayCell>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
  return { pre: sorted(byPeriod.pre), post: sorted(byPeriod.post) };
}

function pooled(cells: readonly DayCell[], pick: readonly number[] | undefined): DayCell {
  const sum = { tNum: 0, tDen: 0, cNum: 0, cDen: 0 };
  for (const i of pick ?? cells.keys()) {
    const c = cells[i] as DayCell;
    sum.tNum += c.tNum;
    sum.tDen += c.tDen;
    sum.cNum += c.cNum;
    sum.cDen += c.cDen;
  }
  return sum;
}

export function contrast(pre: DayCell, post: DayCell, scale: Scale, withControl: boolean): number {
  const tB = pre.tNum / pre.tDen;
  const tP = post.tNum / post.tDen;
  if (!withControl) return scale === 'level' ? tP - tB : tP / tB - 1;
  const cB = pre.cNum / pre.cDen;
  const cP = post.cNum / post.cDen;
  return scale === 'level' ? tP - tB - (cP - cB) : tP / tB / (cP / cB) - 1;
}

function estimateWithInterval(
  cells: Record<Period, DayCell[]>,
  scale: Scale,
  withControl: boolean,
  boot: BootstrapOptions,
  n: number,
): IntervalEstimate {
  const estimate = contrast(pooled(cells.pre, undefined), pooled(cells.post, undefined), scale, withControl);
  const replicates = blockBootstrap(
    [cells.pre.length, cells.post.length],
    (r: Replicate) => contrast(pooled(cells.pre, r[0]), pooled(cells.post, r[1]), scale, withControl),
    boot,
  );
  const [ci_low, ci_high] = percentileInterval(replicates);
  return { estimate, ci_low, ci_high, n };
}

/** Difference-in-differences of the intervention arm against the control arm. */
export function differenceInDifferences(
  rows: readonly SiteDay[],
  scale: Scale,
  boot: BootstrapOptions,
): IntervalEstimate {
  return estimateWithInterval(dayCells(rows), scale, true, boot, rows.length);
}

/** Before/after on the intervention sites alone (no control for season or trend). */
export function beforeAfter(
  rows: readonly SiteDay[],
  scale: Scale,
  boot: BootstrapOptions,
): IntervalEstimate {
  const treated = rows.filter((r) => r.arm === 'intervention');
  return estimateWithInterval(dayCells(treated), scale, false, boot, treated.length);
}

/**
 * Parallel-trends check: a placebo DiD inside the baseline, with a fake start
 * at the baseline's middle day. An interval excluding zero says the arms were
 * already drifting apart before the intervention.
 */
export function placeboPreTrend(
  rows: readonly SiteDay[],
  scale: Scale,
  boot: BootstrapOptions,
): (IntervalEstimate & { fake_start: string; passes: boolean }) | null {
  const pre = rows.filter((r) => r.period === 'pre');
  const dates = [...new Set(pre.map((r) => r.date))].sort();
  if (dates.length < 14) return null;
  const fakeStart = dates[Math.floor(dates.length / 2)] as string;
  const relabelled = pre.map((r) => ({
    ...r,
    period: r.date < fakeStart ? ('pre' as const) : ('post' as const),
  }));
  const result = differenceInDifferences(relabelled, scale, boot);
  if (!Number.isFinite(result.estimate)) return null;
  return { ...result, fake_start: fakeStart, passes: result.ci_low <= 0 && result.ci_high >= 0 };
}
