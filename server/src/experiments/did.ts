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
  drawBlocks,
  smallSampleInterval,
  type BootstrapOptions,
  type Replicate,
} from './stats/block-bootstrap.js';
import { seededRandom } from './stats/seeded-random.js';

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

/**
 * Per period, every calendar day from the period's first to its last, in
 * order, with both arms' sums; a day without rows is an empty cell. Blocks of
 * the bootstrap are then blocks of calendar days (a collection KPI has rows only
 * on collection days), and the number of blocks counts weeks, not rows.
 */
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
  const calendar = (m: Map<string, DayCell>): DayCell[] => {
    const dates = [...m.keys()].sort();
    if (dates.length === 0) return [];
    const out: DayCell[] = [];
    const last = Date.parse(`${dates[dates.length - 1] as string}T00:00:00Z`);
    for (let t = Date.parse(`${dates[0] as string}T00:00:00Z`); t <= last; t += 86_400_000) {
      out.push(m.get(new Date(t).toISOString().slice(0, 10)) ?? { tNum: 0, tDen: 0, cNum: 0, cDen: 0 });
    }
    return out;
  };
  return { pre: calendar(byPeriod.pre), post: calendar(byPeriod.post) };
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
  const days = Math.min(cells.pre.length, cells.post.length);
  const [ci_low, ci_high] = smallSampleInterval(replicates, estimate, days, boot.blockDays);
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

/**
 * Difference-in-differences for a realised effect: what the intervention did
 * at these sites over this reporting period (the question for waste rounds:
 * "how many wasted trips did our bins avoid"), rather than the expected effect
 * at sites like them. The intervention arm's reporting-period value is then
 * observed, not sampled, and what is uncertain is the counterfactual: the
 * baseline level moved by the control arm's change (both resampled in day
 * blocks as usual), plus the day-to-day scatter of a reporting period's worth
 * of those sites' own days without the intervention, drawn from their
 * baseline days. It is a prediction interval for the counterfactual, as
 * Option C's is for the adjusted baseline; with the intervention arm resampled
 * instead, the interval measured only the scatter of the treated policy (a
 * fill-triggered round has almost none) and covered the realised effect too
 * rarely (16/20 seeds, scripts/coverage-check.ts).
 */
export function realisedDifferenceInDifferences(
  rows: readonly SiteDay[],
  scale: Scale,
  boot: BootstrapOptions,
): IntervalEstimate {
  const cells = dayCells(rows);
  const pre = pooled(cells.pre, undefined);
  const post = pooled(cells.post, undefined);
  const estimate = contrast(pre, post, scale, true);
  const observed = post.tNum / post.tDen;
  const baseline = pre.tNum / pre.tDen;
  const [nPre, nPost] = [cells.pre.length, cells.post.length];
  const random = seededRandom(boot.seed);
  const replicates: number[] = [];
  for (let b = 0; b < boot.replicates; b++) {
    const p = pooled(cells.pre, drawBlocks(nPre, boot.blockDays, random));
    const q = pooled(cells.post, drawBlocks(nPost, boot.blockDays, random));
    const own = pooled(cells.pre, drawBlocks(nPre, boot.blockDays, random, nPost));
    const tB = p.tNum / p.tDen;
    const cB = p.cNum / p.cDen;
    const cP = q.cNum / q.cDen;
    const scatter = own.tNum / own.tDen;
    const value =
      scale === 'level'
        ? observed - (tB + (cP - cB) + (scatter - baseline))
        : observed / (((tB * cP) / cB) * (scatter / baseline)) - 1;
    if (Number.isFinite(value)) replicates.push(value);
  }
  const [ci_low, ci_high] = smallSampleInterval(replicates, estimate, Math.min(nPre, nPost), boot.blockDays);
  return { estimate, ci_low, ci_high, n: rows.length };
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

/** A placebo: its interval, the fake start, and whether the interval holds zero (no effect found). */
export type PlaceboResult = IntervalEstimate & { fake_start: string; passes: boolean };

/**
 * An in-time placebo of any estimator: the baseline alone, its second half relabelled as the
 * reporting period (the fake start is the baseline's middle day). An interval excluding zero says
 * the arms were already drifting apart before the intervention.
 */
export function inTimePlacebo(
  rows: readonly SiteDay[],
  estimate: (relabelled: SiteDay[]) => IntervalEstimate,
): PlaceboResult | null {
  const pre = rows.filter((r) => r.period === 'pre');
  const dates = [...new Set(pre.map((r) => r.date))].sort();
  if (dates.length < 14) return null;
  const fakeStart = dates[Math.floor(dates.length / 2)] as string;
  const result = estimate(
    pre.map((r) => ({ ...r, period: r.date < fakeStart ? ('pre' as const) : ('post' as const) })),
  );
  if (
    !Number.isFinite(result.estimate) ||
    !Number.isFinite(result.ci_low) ||
    !Number.isFinite(result.ci_high)
  )
    return null;
  return { ...result, fake_start: fakeStart, passes: result.ci_low <= 0 && result.ci_high >= 0 };
}

/** Parallel-trends check: the DiD's in-time placebo. */
export function placeboPreTrend(
  rows: readonly SiteDay[],
  scale: Scale,
  boot: BootstrapOptions,
): PlaceboResult | null {
  return inTimePlacebo(rows, (relabelled) => differenceInDifferences(relabelled, scale, boot));
}
