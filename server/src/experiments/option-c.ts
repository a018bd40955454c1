/**
 * IPMVP Option C (whole facility): per building, a baseline regression of
 * daily kWh on heating degree days and the building's day type, fitted on the
 * baseline period; its prediction for the reporting period is the adjusted
 * baseline, and avoided energy = adjusted baseline − measured. Fit quality is
 * judged with ASHRAE Guideline 14 metrics; uncertainty comes from the same
 * moving-block bootstrap as the other estimators (baseline days resampled and
 * the models refitted, reporting days resampled), and the guideline's
 * fractional savings uncertainty is reported alongside.
 */
import type { IntervalEstimate, Period } from './did.js';
import { percentileInterval, resamples, type BootstrapOptions } from './stats/block-bootstrap.js';
import { lag1Autocorrelation, ols, predict } from './stats/qr-ols.js';
import { tQuantile } from './stats/t-quantile.js';
import type { Gl14Limits } from './settings.js';

export interface ModelDay {
  site: string;
  date: string;
  period: Period;
  y: number;
  hdd: number;
  occupied: boolean;
}

/** kWh = b0 + b1·HDD + b2·occupied + b3·HDD·occupied (heating slope differs on school days: internal gains). */
export function features(day: ModelDay): number[] {
  const occ = day.occupied ? 1 : 0;
  return [1, day.hdd, occ, day.hdd * occ];
}

export interface BaselineFit {
  coef: number[];
  n: number;
  p: number;
  cv_rmse: number;
  nmbe: number;
  r2: number;
  autocorrelation: number;
  passes: boolean;
}

export function fitBaseline(days: readonly ModelDay[], limits: Gl14Limits): BaselineFit | null {
  if (days.length < 10) return null;
  let fit;
  let design = days.map(features);
  try {
    fit = ols(
      design,
      days.map((d) => d.y),
    );
  } catch {
    // No variation in day type during the baseline: HDD alone.
    design = days.map((d) => [1, d.hdd]);
    try {
      fit = ols(
        design,
        days.map((d) => d.y),
      );
    } catch {
      return null;
    }
  }
  const n = days.length;
  const p = fit.p;
  const mean = days.reduce((s, d) => s + d.y, 0) / n;
  const sst = days.reduce((s, d) => s + (d.y - mean) ** 2, 0);
  const cv_rmse = Math.sqrt(fit.sse / (n - p)) / mean;
  const nmbe = fit.residuals.reduce((s, e) => s + e, 0) / ((n - p) * mean);
  const r2 = sst > 0 ? 1 - fit.sse / sst : 0;
  const passes =
    cv_rmse <= limits.cv_rmse_max && Math.abs(nmbe) <= limits.nmbe_abs_max && r2 >= limits.r2_min;
  return {
    coef: fit.coef,
    n,
    p,
    cv_rmse,
    nmbe,
    r2,
    autocorrelation: lag1Autocorrelation(fit.residuals),
    passes,
  };
}

const predictDay = (coef: readonly number[], d: ModelDay) => predict(coef, features(d).slice(0, coef.length));

export interface OptionCResult {
  savings_fraction: IntervalEstimate;
  avoided: IntervalEstimate;
  /** Adjusted baseline and measured totals over the reporting period. */
  adjusted_baseline: number;
  measured: number;
  /** ASHRAE Guideline 14 fractional savings uncertainty at 95 %, null without savings. */
  fsu: number | null;
  buildings: (BaselineFit & { site: string; m: number; adjusted_baseline: number; measured: number })[];
}

export function optionC(
  rows: readonly ModelDay[],
  limits: Gl14Limits,
  boot: BootstrapOptions,
): OptionCResult | null {
  const sites = [...new Set(rows.map((r) => r.site))].sort();
  const dates = (period: Period) =>
    [...new Set(rows.filter((r) => r.period === period).map((r) => r.date))].sort();
  const preDates = dates('pre');
  const postDates = dates('post');
  const bySite = new Map(sites.map((s) => [s, new Map<string, ModelDay>()]));
  for (const r of rows) bySite.get(r.site)?.set(r.date, r);

  const buildings: OptionCResult['buildings'] = [];
  for (const site of sites) {
    const days = bySite.get(site) as Map<string, ModelDay>;
    const fit = fitBaseline(
      preDates.flatMap((d) => days.get(d) ?? []),
      limits,
    );
    const post = postDates.flatMap((d) => days.get(d) ?? []);
    if (!fit || post.length === 0) continue;
    const adjusted = post.reduce((s, d) => s + predictDay(fit.coef, d), 0);
    buildings.push({
      ...fit,
      site,
      m: post.length,
      adjusted_baseline: adjusted,
      measured: post.reduce((s, d) => s + d.y, 0),
    });
  }
  if (buildings.length === 0) return null;
  const adjusted = buildings.reduce((s, b) => s + b.adjusted_baseline, 0);
  const measured = buildings.reduce((s, b) => s + b.measured, 0);
  const savings = 1 - measured / adjusted;

  const savingsReplicates: number[] = [];
  const avoidedReplicates: number[] = [];
  for (const [pre = [], post = []] of resamples([preDates.length, postDates.length], boot)) {
    const r = replicate(
      buildings,
      bySite,
      pre.map((i) => preDates[i] as string),
      post.map((i) => postDates[i] as string),
      postDates,
      limits,
    );
    if (!r || !Number.isFinite(r.savings)) continue;
    savingsReplicates.push(r.savings);
    // Avoided energy scales the resampled savings fraction to the whole reporting period.
    avoidedReplicates.push(r.savings * r.adjustedFull);
  }
  const [sLow, sHigh] = percentileInterval(savingsReplicates);
  const [aLow, aHigh] = percentileInterval(avoidedReplicates);
  const n = buildings.reduce((s, b) => s + b.n + b.m, 0);
  return {
    savings_fraction: { estimate: savings, ci_low: sLow, ci_high: sHigh, n },
    avoided: { estimate: adjusted - measured, ci_low: aLow, ci_high: aHigh, n },
    adjusted_baseline: adjusted,
    measured,
    fsu: fractionalSavingsUncertainty(buildings, adjusted - measured),
    buildings,
  };
}

function replicate(
  buildings: readonly { site: string }[],
  bySite: Map<string, Map<string, ModelDay>>,
  pre: readonly string[],
  post: readonly string[],
  allPost: readonly string[],
  limits: Gl14Limits,
): { savings: number; adjustedFull: number } | null {
  let adjusted = 0;
  let measured = 0;
  let adjustedFull = 0;
  for (const b of buildings) {
    const days = bySite.get(b.site) as Map<string, ModelDay>;
    const fit = fitBaseline(
      pre.flatMap((date) => days.get(date) ?? []),
      limits,
    );
    if (!fit) return null;
    for (const date of post) {
      const d = days.get(date);
      if (!d) continue;
      adjusted += predictDay(fit.coef, d);
      measured += d.y;
    }
    for (const date of allPost) {
      const d = days.get(date);
      if (d) adjustedFull += predictDay(fit.coef, d);
    }
  }
  return { savings: 1 - measured / adjusted, adjustedFull };
}

/**
 * ASHRAE Guideline 14 (Annex B) fractional savings uncertainty, per building
 * ΔE = 1.26 · t(95 %, n−p) · E_adj · CV(RMSE) · √((n/n′)(1 + 2/n′)/m) with
 * n′ = n(1−ρ)/(1+ρ) for lag-1 residual autocorrelation ρ; buildings combine
 * in quadrature; FSU = ΔE / avoided energy.
 */
export function fractionalSavingsUncertainty(
  buildings: readonly {
    n: number;
    p: number;
    m: number;
    cv_rmse: number;
    autocorrelation: number;
    adjusted_baseline: number;
  }[],
  avoided: number,
): number | null {
  if (avoided === 0) return null;
  let variance = 0;
  for (const b of buildings) {
    const rho = Math.max(0, b.autocorrelation);
    const nPrime = Math.max(1, (b.n * (1 - rho)) / (1 + rho));
    const t = tQuantile(0.975, Math.max(1, b.n - b.p));
    const delta =
      1.26 * t * b.adjusted_baseline * b.cv_rmse * Math.sqrt(((b.n / nPrime) * (1 + 2 / nPrime)) / b.m);
    variance += delta * delta;
  }
  return Math.sqrt(variance) / Math.abs(avoided);
}
