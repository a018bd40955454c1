/**
 * IPMVP Option C (whole facility): per building, a baseline model of daily
 * kWh fitted on the baseline period; its prediction for the reporting period
 * is the adjusted baseline, and avoided energy = adjusted baseline − measured.
 *
 * The model is ASHRAE Guideline 14's three-parameter heating change-point
 * model (3PH, "variable-base degree days"), fitted separately for occupied and
 * unoccupied days: kWh = b0 + b1·max(0, Tb − T), with the balance temperature
 * Tb chosen by least squares. A fixed 18 °C base is wrong for
 * an occupied school: internal gains (pupils, lights) cover the heat need on
 * mild days, so heating starts well below 18 °C; a straight line through the
 * cold days then under-predicts every mild day of the reporting period.
 *
 * Uncertainty is a prediction interval for the counterfactual total, which is
 * all that is unknown (the measured total is measured): each bootstrap
 * replicate refits the models (balance temperature included) on a
 * moving-block resample of baseline days, predicts the reporting days, and
 * adds a moving-block resample of the baseline residuals (the day-to-day
 * scatter the model does not explain, with its autocorrelation). Fit quality
 * is judged with Guideline 14 metrics, whose fractional savings uncertainty is
 * reported alongside.
 */
import { BaselineResampler, drawCounts } from './baseline-resample.js';
import { fitChangePoint, tempOf, type ChangePoint, type ModelDay } from './change-point.js';
export type { ChangePoint, Line3, ModelDay } from './change-point.js';
import type { IntervalEstimate, Period } from './did.js';
import { percentileInterval, type BootstrapOptions } from './stats/block-bootstrap.js';
import { lag1Autocorrelation } from './stats/qr-ols.js';
import { seededRandom } from './stats/seeded-random.js';
import { tQuantile } from './stats/t-quantile.js';
import type { Gl14Limits } from './settings.js';

export interface BaselineFit {
  occupied: ChangePoint | null;
  unoccupied: ChangePoint | null;
  /** Residuals in date order. */
  residuals: number[];
  n: number;
  p: number;
  cv_rmse: number;
  nmbe: number;
  r2: number;
  autocorrelation: number;
  passes: boolean;
}

export type Variant = 'estimate' | 'low' | 'high';

function predictWith(
  fit: Pick<BaselineFit, 'occupied' | 'unoccupied'>,
  d: ModelDay,
  variant: Variant = 'estimate',
): number {
  // A day type unseen in the baseline borrows the other type's model (reported by n = 0).
  const type = (d.occupied ? fit.occupied : fit.unoccupied) ?? fit.occupied ?? fit.unoccupied;
  if (!type) return Number.NaN;
  const m = variant === 'estimate' ? type : (type.bounds?.[variant] ?? type);
  return m.b0 + m.b1 * Math.max(0, m.tb - tempOf(d));
}

export function predictDay(
  fit: Pick<BaselineFit, 'occupied' | 'unoccupied'>,
  d: ModelDay,
  variant: Variant = 'estimate',
): number {
  return predictWith(fit, d, variant);
}

/** Per day type change-point fits on the baseline days (in date order), with Guideline 14 metrics. */
export function fitBaseline(days: readonly ModelDay[], limits: Gl14Limits): BaselineFit | null {
  if (days.length < 10) return null;
  const occupied = fitChangePoint(days.filter((d) => d.occupied));
  const unoccupied = fitChangePoint(days.filter((d) => !d.occupied));
  if (!occupied && !unoccupied) return null;
  const residuals = days.map((d) => d.y - predictWith({ occupied, unoccupied }, d));
  const n = days.length;
  const p = (occupied ? 3 : 0) + (unoccupied ? 3 : 0);
  const mean = days.reduce((s, d) => s + d.y, 0) / n;
  const sse = residuals.reduce((s, e) => s + e * e, 0);
  const sst = days.reduce((s, d) => s + (d.y - mean) ** 2, 0);
  const dof = Math.max(1, n - p);
  const cv_rmse = Math.sqrt(sse / dof) / mean;
  const nmbe = residuals.reduce((s, e) => s + e, 0) / (dof * mean);
  const r2 = sst > 0 ? 1 - sse / sst : 0;
  const passes =
    cv_rmse <= limits.cv_rmse_max && Math.abs(nmbe) <= limits.nmbe_abs_max && r2 >= limits.r2_min;
  return {
    occupied,
    unoccupied,
    residuals,
    n,
    p,
    cv_rmse,
    nmbe,
    r2,
    autocorrelation: lag1Autocorrelation(residuals),
    passes,
  };
}

export interface OptionCResult {
  savings_fraction: IntervalEstimate;
  avoided: IntervalEstimate;
  /** Adjusted baseline and measured totals over the reporting period, and the adjusted baseline's interval. */
  adjusted_baseline: number;
  adjusted_baseline_ci: [number, number];
  measured: number;
  /** ASHRAE Guideline 14 fractional savings uncertainty at 95 %, null without savings. */
  fsu: number | null;
  buildings: (Omit<BaselineFit, 'residuals'> & {
    site: string;
    m: number;
    adjusted_baseline: number;
    measured: number;
  })[];
  /** Per reporting day, summed over buildings: measured and adjusted baseline (for charts and exports). */
  daily: { date: string; measured: number; adjusted_baseline: number }[];
}

/** `count` indices into 0..length−1, as concatenated blocks of consecutive indices. */
function blockIndices(length: number, count: number, blockDays: number, random: () => number): number[] {
  const block = Math.max(1, Math.min(blockDays, length));
  const out: number[] = [];
  while (out.length < count) {
    const start = Math.floor(random() * (length - block + 1));
    for (let k = 0; k < block && out.length < count; k++) out.push(start + k);
  }
  return out;
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

  const models: {
    site: string;
    fit: BaselineFit;
    post: ModelDay[];
    resampler: BaselineResampler;
  }[] = [];
  const preIndex = new Map(preDates.map((d, i) => [d, i]));
  for (const site of sites) {
    const days = bySite.get(site) as Map<string, ModelDay>;
    const pre = preDates.flatMap((d) => days.get(d) ?? []);
    const fit = fitBaseline(pre, limits);
    const post = postDates.flatMap((d) => days.get(d) ?? []);
    const resampler = new BaselineResampler(pre, (date) => preIndex.get(date) as number);
    if (fit && post.length > 0) models.push({ site, fit, post, resampler });
  }
  if (models.length === 0) return null;

  const daily = new Map<string, { date: string; measured: number; adjusted_baseline: number }>();
  const buildings: OptionCResult['buildings'] = models.map(({ site, fit, post }) => {
    let adjusted = 0;
    let measured = 0;
    for (const d of post) {
      const yHat = predictWith(fit, d);
      adjusted += yHat;
      measured += d.y;
      const row = daily.get(d.date) ?? { date: d.date, measured: 0, adjusted_baseline: 0 };
      row.measured += d.y;
      row.adjusted_baseline += yHat;
      daily.set(d.date, row);
    }
    const { residuals: _residuals, ...metrics } = fit;
    return { ...metrics, site, m: post.length, adjusted_baseline: adjusted, measured };
  });
  const adjusted = buildings.reduce((s, b) => s + b.adjusted_baseline, 0);
  const measured = buildings.reduce((s, b) => s + b.measured, 0);

  // Bootstrap distribution of the counterfactual total over the reporting period.
  const random = seededRandom(boot.seed);
  const low: number[] = [];
  const high: number[] = [];
  for (let b = 0; b < boot.replicates; b++) {
    const draws = drawCounts(
      blockIndices(preDates.length, preDates.length, boot.blockDays, random),
      preDates.length,
    );
    let totalLow = 0;
    let totalHigh = 0;
    for (const model of models) {
      const fit = model.resampler.fit(draws);
      if (!fit) {
        totalLow = Number.NaN;
        break;
      }
      const e = model.fit.residuals;
      const noise = blockIndices(e.length, model.post.length, boot.blockDays, random);
      model.post.forEach((d, k) => {
        const scatter = e[noise[k] as number] as number;
        totalLow += predictWith(fit, d, 'low') + scatter;
        totalHigh += predictWith(fit, d, 'high') + scatter;
      });
    }
    if (Number.isFinite(totalLow) && totalLow > 0 && totalHigh > 0) {
      low.push(totalLow);
      high.push(totalHigh);
    }
  }
  const [lowA, highA] = percentileInterval(low);
  const [lowB, highB] = percentileInterval(high);
  const [cfLow, cfHigh] = [Math.min(lowA, lowB), Math.max(highA, highB)];
  const n = buildings.reduce((s, b) => s + b.n + b.m, 0);
  return {
    savings_fraction: {
      estimate: 1 - measured / adjusted,
      ci_low: 1 - measured / cfLow,
      ci_high: 1 - measured / cfHigh,
      n,
    },
    avoided: { estimate: adjusted - measured, ci_low: cfLow - measured, ci_high: cfHigh - measured, n },
    adjusted_baseline: adjusted,
    adjusted_baseline_ci: [cfLow, cfHigh],
    measured,
    fsu: fractionalSavingsUncertainty(buildings, adjusted - measured),
    buildings,
    daily: [...daily.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
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
