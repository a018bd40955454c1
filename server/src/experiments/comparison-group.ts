/**
 * Energy savings against a comparison group: every building, retrofitted or not, gets the same
 * weather-normalised baseline model as in Option C (option-c.ts), and the control buildings' ratio
 * of measured to predicted use over the reporting period stands for what the model misses in
 * common — a mild autumn judged by a winter model, a temperature series that is only normals, a
 * city-wide change in school hours:
 *
 *   savings = 1 − (M_T / P_T) / (M_C / P_C)
 *
 * with M measured and P predicted totals over the reporting days. Where the model is right the
 * control ratio is 1 and this is Option C's savings fraction; where it is wrong in the same way for
 * both arms, the error cancels. The control ratio itself (1 − M_C/P_C, the controls' "apparent
 * savings", which should be zero) is reported as a check of the normalisation.
 *
 * Interval: a block bootstrap over calendar days that keeps every building's days together —
 * baseline dates resampled and all models refitted, reporting dates resampled — with the small-sample
 * correction the other day-block intervals use (stats/block-bootstrap.ts).
 */
import type { IntervalEstimate, Period } from './did.js';
import { BaselineResampler, drawCounts } from './baseline-resample.js';
import { fitBaseline, predictDay, type BaselineFit, type ModelDay } from './option-c.js';
import type { Gl14Limits } from './settings.js';
import { drawBlocks, smallSampleInterval, type BootstrapOptions } from './stats/block-bootstrap.js';
import { seededRandom } from './stats/seeded-random.js';

export interface ArmDay extends ModelDay {
  treated: boolean;
}

export interface ComparisonResult {
  savings_fraction: IntervalEstimate;
  /** Counterfactual adjusted by the control ratio, minus measured: kWh avoided at the treated buildings. */
  avoided: IntervalEstimate;
  /** 1 − M_C/P_C: what the normalisation gets wrong for buildings that changed nothing. */
  control_apparent_savings: IntervalEstimate;
  buildings: { site: string; treated: boolean; n_baseline: number; m_reporting: number; passes: boolean }[];
}

interface Building {
  site: string;
  treated: boolean;
  byDate: Map<string, ArmDay>;
  fit: BaselineFit;
  resampler: BaselineResampler;
}

interface Totals {
  mT: number;
  pT: number;
  mC: number;
  pC: number;
}

function totals(
  buildings: readonly Building[],
  fits: readonly (Pick<BaselineFit, 'occupied' | 'unoccupied'> | null)[],
  dates: readonly string[],
) {
  const t: Totals = { mT: 0, pT: 0, mC: 0, pC: 0 };
  buildings.forEach((b, i) => {
    const fit = fits[i];
    if (!fit) return;
    for (const date of dates) {
      const d = b.byDate.get(date);
      if (!d) continue;
      const predicted = predictDay(fit, d);
      if (b.treated) {
        t.mT += d.y;
        t.pT += predicted;
      } else {
        t.mC += d.y;
        t.pC += predicted;
      }
    }
  });
  return t;
}

const savingsOf = (t: Totals) => 1 - t.mT / t.pT / (t.mC / t.pC);
const controlSavingsOf = (t: Totals) => 1 - t.mC / t.pC;
const avoidedOf = (t: Totals) => (t.pT * t.mC) / t.pC - t.mT;

export function comparisonGroup(
  rows: readonly ArmDay[],
  limits: Gl14Limits,
  boot: BootstrapOptions,
): ComparisonResult | null {
  const dates = (period: Period) =>
    [...new Set(rows.filter((r) => r.period === period).map((r) => r.date))].sort();
  const preDates = dates('pre');
  const postDates = dates('post');
  const bySite = new Map<string, { treated: boolean; byDate: Map<string, ArmDay> }>();
  for (const r of rows) {
    let entry = bySite.get(r.site);
    if (!entry) bySite.set(r.site, (entry = { treated: r.treated, byDate: new Map() }));
    entry.byDate.set(r.date, r);
  }
  const buildings: Building[] = [];
  const preIndex = new Map(preDates.map((d, i) => [d, i]));
  for (const [site, { treated, byDate }] of [...bySite].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pre = preDates.flatMap((d) => byDate.get(d) ?? []);
    const fit = fitBaseline(pre, limits);
    const resampler = new BaselineResampler(pre, (date) => preIndex.get(date) as number);
    if (fit && postDates.some((d) => byDate.has(d)))
      buildings.push({ site, treated, byDate, fit, resampler });
  }
  if (!buildings.some((b) => b.treated) || !buildings.some((b) => !b.treated)) return null;

  const point = totals(
    buildings,
    buildings.map((b) => b.fit),
    postDates,
  );
  const random = seededRandom(boot.seed);
  const reps = { savings: [] as number[], control: [] as number[], avoided: [] as number[] };
  for (let k = 0; k < boot.replicates; k++) {
    const draws = drawCounts(drawBlocks(preDates.length, boot.blockDays, random), preDates.length);
    const post = drawBlocks(postDates.length, boot.blockDays, random).map((i) => postDates[i] as string);
    const fits = buildings.map((b) => b.resampler.fit(draws));
    const t = totals(buildings, fits, post);
    // Rescaled to the reporting period's length in days, as the point estimate counts them.
    const scale = postDates.length / post.length;
    const values = [
      savingsOf(t),
      controlSavingsOf(t),
      avoidedOf({ ...t, mT: t.mT * scale, pT: t.pT * scale }),
    ];
    if (values.every(Number.isFinite)) {
      reps.savings.push(values[0] as number);
      reps.control.push(values[1] as number);
      reps.avoided.push(values[2] as number);
    }
  }
  const days = Math.min(preDates.length, postDates.length);
  const n = buildings.reduce((s, b) => s + b.byDate.size, 0);
  const interval = (replicates: number[], estimate: number): IntervalEstimate => {
    const [ci_low, ci_high] = smallSampleInterval(replicates, estimate, days, boot.blockDays);
    return { estimate, ci_low, ci_high, n };
  };
  return {
    savings_fraction: interval(reps.savings, savingsOf(point)),
    avoided: interval(reps.avoided, avoidedOf(point)),
    control_apparent_savings: interval(reps.control, controlSavingsOf(point)),
    buildings: buildings.map((b) => ({
      site: b.site,
      treated: b.treated,
      n_baseline: b.fit.n,
      m_reporting: postDates.filter((d) => b.byDate.has(d)).length,
      passes: b.fit.passes,
    })),
  };
}
