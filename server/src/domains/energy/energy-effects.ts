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
import type { Registry } from '../../config/registry.js';
import { isOccupied } from './day-type.js';
import { heatingDegreeDays } from './temperature-source.js';
import type { SiteTemperatures } from '../weather/site-temperatures.js';
import { comparisonGroup, type ArmDay, type ComparisonResult } from '../../experiments/comparison-group.js';
import type { IntervalEstimate } from '../../experiments/did.js';
import { disagree, effect, type Effect } from '../../experiments/effect.js';
import type { EffectsInput } from '../../experiments/effects.js';
import type { AnalysisWindow, DomainDays, ExperimentRef } from '../../experiments/experiment-data.js';
import type { KpiSpec } from '../../experiments/kpi-catalog.js';
import { optionC, type OptionCResult } from '../../experiments/option-c.js';
import type { AnalysisSettings } from '../../experiments/settings.js';

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

/** One of the weather-normalised estimates of a KPI as an effect, with the diagnostics that judge it. */
export function energyEffect(
  kpi: string,
  spec: KpiSpec,
  method: EnergyMethod,
  estimates: EnergyEstimates,
  input: EffectsInput,
  weather: SiteTemperatures,
): Effect | null {
  const c = estimates.optionC;
  const g = estimates.comparison;
  const result = method === 'ipmvp_option_c' ? c : g;
  if (!result) return null;
  const estimate = pickKpi(kpi, result);
  const other = method === 'ipmvp_option_c' ? g : c;
  const diagnostics: Record<string, unknown> = {
    primary: estimates.primary === method,
    primary_reason: estimates.reason,
    temperature_source: weather.kind === 'station' ? `station: ${weather.name}` : weather.name,
    temperature_kind: weather.kind,
    extrapolated_share: estimates.extrapolated_share,
    methods_disagree: other ? disagree(estimate, pickKpi(kpi, other)) : null,
    // The controls' apparent savings check the normalisation Option C relies on too.
    control_apparent_savings: g?.control_apparent_savings ?? null,
    block_days: input.settings.bootstrap.blockDays,
    replicates: input.settings.bootstrap.replicates,
  };
  if (kpi === 'avoided_kwh') {
    diagnostics.avoided_cost_gel = estimate.estimate * input.settings.energy.tariff_gel_per_kwh;
    diagnostics.avoided_co2_kg = estimate.estimate * input.settings.energy.co2_kg_per_kwh;
  }
  if (method === 'comparison_group' && g) {
    Object.assign(diagnostics, {
      model:
        'every building (retrofitted and control) gets the Option C baseline model; savings = 1 − (measured/predicted of the retrofitted) ÷ (measured/predicted of the controls)',
      buildings: g.buildings,
      interval:
        'block bootstrap over calendar days, every building together: baseline days resampled and all models refitted, reporting days resampled; small-sample corrected',
    });
    return effect(kpi, spec.unit, 'comparison_group', estimate, diagnostics);
  }
  if (!c) return null;
  Object.assign(diagnostics, {
    model:
      'ASHRAE Guideline 14 three-parameter heating change-point model per building and day type (occupied, unoccupied): kWh/day = b0 + b1·max(0, Tb − T), balance temperature Tb fitted; on the baseline',
    fractional_savings_uncertainty: c.fsu,
    adjusted_baseline: c.adjusted_baseline,
    adjusted_baseline_ci: c.adjusted_baseline_ci,
    measured: c.measured,
    interval:
      'bootstrap prediction interval of the counterfactual total: baseline days resampled in blocks and the models refitted, plus block-resampled baseline residuals for the reporting days',
    gl14_limits: input.settings.gl14,
    buildings: c.buildings.map((b) => ({
      site: b.site,
      n_baseline: b.n,
      m_reporting: b.m,
      occupied_model: b.occupied,
      unoccupied_model: b.unoccupied,
      cv_rmse: b.cv_rmse,
      nmbe: b.nmbe,
      r2: b.r2,
      residual_autocorrelation: b.autocorrelation,
      passes: b.passes,
    })),
  });
  return effect(kpi, spec.unit, 'ipmvp_option_c', estimate, diagnostics);
}
