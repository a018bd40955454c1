/**
 * The energy experiment's weather-normalised estimates: IPMVP Option C on the retrofitted buildings
 * (option-c.ts) and the comparison-group estimate against the control buildings
 * (comparison-group.ts), both on the same daily model rows, and the choice between them.
 *
 * Which one is primary is decided from the data, per experiment, and the reason is reported:
 * - Option C, the M&V standard, when the temperature is measured, the retrofitted buildings'
 *   baseline models pass ASHRAE Guideline 14, most reporting days lie inside the baseline's
 *   temperature range, and the control buildings confirm the normalisation (their apparent savings
 *   interval contains zero);
 * - otherwise the comparison group, whose control ratio absorbs what the normalisation misses.
 */
import type { Registry } from '../config/registry.js';
import { isOccupied } from '../domains/energy/day-type.js';
import { heatingDegreeDays } from '../domains/energy/temperature-source.js';
import type { SiteTemperatures } from '../domains/weather/site-temperatures.js';
import { comparisonGroup, type ArmDay, type ComparisonResult } from './comparison-group.js';
import type { IntervalEstimate } from './did.js';
import type { Effect } from './effects.js';
import type { AnalysisWindow, DomainDays, ExperimentRef } from './experiment-data.js';
import { optionC, type OptionCResult } from './option-c.js';
import type { AnalysisSettings } from './settings.js';

export type EnergyOutcome = 'kwh' | 'night';

/** Above this share of reporting building-days outside the baseline's temperatures, Option C is not primary. */
export const MAX_EXTRAPOLATED_SHARE = 0.5;

export type PrimaryReason =
  | 'measured_weather_models_pass'
  | 'temperature_from_normals'
  | 'models_fail_gl14'
  | 'extrapolated'
  | 'normalisation_biased'
  | 'no_comparison_group'
  | 'option_c_unavailable';

export interface EnergyEstimates {
  optionC: OptionCResult | null;
  comparison: ComparisonResult | null;
  /** Share of the retrofitted buildings' reporting days colder or warmer than any baseline day of their type. */
  extrapolated_share: number;
  primary: 'ipmvp_option_c' | 'comparison_group' | null;
  reason: PrimaryReason;
}

export function energyModelRows(
  data: Extract<DomainDays, { domain: 'energy' }>,
  ref: ExperimentRef,
  window: AnalysisWindow,
  registry: Registry,
  weather: SiteTemperatures,
  minCoverage: number,
  y: EnergyOutcome,
): ArmDay[] {
  const pre = new Set(window.pre);
  const post = new Set(window.post);
  const treated = new Set(ref.experiment.intervention_sites);
  const control = new Set(ref.experiment.control_sites);
  const rows: ArmDay[] = [];
  for (const d of data.days) {
    const period = pre.has(d.date) ? 'pre' : post.has(d.date) ? 'post' : undefined;
    const coverage = y === 'kwh' ? d.coverage : d.night_coverage;
    const value = y === 'kwh' ? d.kwh : d.night_kw;
    const temp = weather.dailyMeanC(d.site, d.date);
    const device = registry.device(d.device);
    if (!period || coverage < minCoverage || value === null || temp === null || device?.domain !== 'energy')
      continue;
    if (!treated.has(d.site) && !control.has(d.site)) continue;
    rows.push({
      site: d.site,
      date: d.date,
      period,
      y: value,
      hdd: heatingDegreeDays(temp),
      temp,
      occupied: isOccupied(device.building_type, d.date),
      treated: treated.has(d.site),
    });
  }
  return rows;
}

/** Share of reporting building-days whose temperature lies outside the baseline range of their day type. */
export function extrapolatedShare(rows: readonly ArmDay[]): number {
  const range = new Map<string, [number, number]>();
  for (const r of rows) {
    if (r.period !== 'pre' || r.temp === undefined) continue;
    const key = `${r.site}\n${r.occupied}`;
    const [lo, hi] = range.get(key) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    range.set(key, [Math.min(lo, r.temp), Math.max(hi, r.temp)]);
  }
  let outside = 0;
  let total = 0;
  for (const r of rows) {
    if (r.period !== 'post' || r.temp === undefined) continue;
    total++;
    const bounds = range.get(`${r.site}\n${r.occupied}`);
    if (!bounds || r.temp < bounds[0] || r.temp > bounds[1]) outside++;
  }
  return total === 0 ? 0 : outside / total;
}

const excludesZero = (e: IntervalEstimate) => e.ci_low > 0 || e.ci_high < 0;

export function energyEstimates(
  rows: readonly ArmDay[],
  weather: SiteTemperatures,
  settings: AnalysisSettings,
): EnergyEstimates {
  const treatedRows = rows.filter((r) => r.treated);
  const c = optionC(treatedRows, settings.gl14, settings.bootstrap);
  const comparison = comparisonGroup(rows, settings.gl14, settings.bootstrap);
  const extrapolated_share = extrapolatedShare(treatedRows);
  const choose = (reason: PrimaryReason): EnergyEstimates => {
    const primary =
      reason === 'measured_weather_models_pass' || reason === 'no_comparison_group'
        ? c
          ? 'ipmvp_option_c'
          : null
        : comparison
          ? 'comparison_group'
          : c
            ? 'ipmvp_option_c'
            : null;
    return { optionC: c, comparison, extrapolated_share, primary, reason };
  };
  if (!c) return choose('option_c_unavailable');
  if (!comparison) return choose('no_comparison_group');
  if (weather.kind === 'normals') return choose('temperature_from_normals');
  if (c.buildings.some((b) => !b.passes)) return choose('models_fail_gl14');
  if (extrapolated_share > MAX_EXTRAPOLATED_SHARE) return choose('extrapolated');
  if (excludesZero(comparison.control_apparent_savings)) return choose('normalisation_biased');
  return choose('measured_weather_models_pass');
}

/** True when two intervals of the same quantity do not overlap. */
export function disagree(a: IntervalEstimate, b: IntervalEstimate): boolean {
  return a.ci_high < b.ci_low || b.ci_high < a.ci_low;
}

export function relativeChange(s: IntervalEstimate): IntervalEstimate {
  return { estimate: -s.estimate, ci_low: -s.ci_high, ci_high: -s.ci_low, n: s.n };
}

/** The interval for a KPI from a method's result: savings, avoided kWh, or the relative change in use. */
export function pickKpi(
  kpi: string,
  r: { savings_fraction: IntervalEstimate; avoided: IntervalEstimate },
): IntervalEstimate {
  if (kpi === 'avoided_kwh') return r.avoided;
  if (kpi === 'savings_fraction') return r.savings_fraction;
  return relativeChange(r.savings_fraction);
}

export type EnergyMethod = Extract<Effect['method'], 'ipmvp_option_c' | 'comparison_group'>;
