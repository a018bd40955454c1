/** Effect estimates for one experiment: every KPI, every applicable method, with diagnostics. */
import type { Registry } from '../config/registry.js';
import { isOccupied } from '../domains/energy/day-type.js';
import { heatingDegreeDays, type TemperatureSource } from '../domains/energy/temperature-source.js';
import type { LocalCalendar } from '../domains/local-calendar.js';
import type { TelemetryStore } from '../store/port.js';
import {
  beforeAfter,
  differenceInDifferences,
  placeboPreTrend,
  realisedDifferenceInDifferences,
  type IntervalEstimate,
  type SiteDay,
} from './did.js';
import {
  loadDomainDays,
  type AnalysisWindow,
  type DomainDays,
  type ExperimentRef,
} from './experiment-data.js';
import { KPIS, type KpiSpec } from './kpi-catalog.js';
import { shareDifferenceInDifferences, sharePlacebo } from './share-did.js';
import { optionC, type ModelDay, type OptionCResult } from './option-c.js';
import type { KpiRollup } from './rollup/kpi-rollup.js';
import type { AnalysisSettings } from './settings.js';
import { siteDays, type SiteCoverage } from './site-days.js';

export interface Effect {
  kpi: string;
  estimate: number;
  ci_low: number;
  ci_high: number;
  unit: string;
  method: 'before_after' | 'difference_in_differences' | 'ipmvp_option_c';
  n: number;
  diagnostics: Record<string, unknown>;
}

export interface EffectsReport {
  effects: Effect[];
  data_quality: Record<string, SiteCoverage[]>;
  not_estimated: { kpi: string; reason: string }[];
  /** Per-day rows the estimates used, for the export. */
  daily: { kpi: string; rows: SiteDay[] }[];
}

export interface EffectsInput {
  store: TelemetryStore;
  registry: Registry;
  calendar: LocalCalendar;
  temperature: TemperatureSource;
  settings: AnalysisSettings;
  rollup?: KpiRollup;
}

export async function experimentEffects(
  input: EffectsInput,
  ref: ExperimentRef,
  window: AnalysisWindow,
): Promise<EffectsReport> {
  const data = await loadDomainDays(
    input.store,
    input.registry,
    ref,
    input.calendar,
    window,
    input.settings,
    input.rollup,
  );
  const report: EffectsReport = { effects: [], data_quality: {}, not_estimated: [], daily: [] };
  const optionCCache = new Map<string, OptionCResult | null>();
  for (const kpi of ref.experiment.kpis) {
    const spec = KPIS[kpi];
    if (!spec || spec.domain !== ref.pilot.domain) {
      report.not_estimated.push({ kpi, reason: `no ${ref.pilot.domain} KPI of this name is defined` });
      continue;
    }
    if (spec.rows) {
      const { rows, quality } = siteDays(spec.rows(data), ref, window, input.settings.min_coverage);
      report.data_quality[kpi] = quality;
      report.daily.push({ kpi, rows });
      report.effects.push(
        ...diffEffects(kpi, spec, rows, input.settings, ref.experiment.control_sites.length > 0),
      );
    }
    if (spec.primary === 'ipmvp_option_c' && data.domain === 'energy') {
      const y = kpi === 'night_base_load_kw' ? 'night' : 'kwh';
      if (!optionCCache.has(y)) optionCCache.set(y, runOptionC(data, ref, window, input, y));
      const result = optionCCache.get(y);
      if (result) report.effects.push(optionCEffect(kpi, spec, result, input));
      else
        report.not_estimated.push({
          kpi,
          reason: 'Option C needs baseline and reporting days with temperature data',
        });
    }
    if (!report.effects.some((e) => e.kpi === kpi) && !report.not_estimated.some((e) => e.kpi === kpi)) {
      report.not_estimated.push({
        kpi,
        reason: 'no baseline or reporting-period data passed the coverage rule',
      });
    }
  }
  return report;
}

function diffEffects(
  kpi: string,
  spec: KpiSpec,
  rows: SiteDay[],
  settings: AnalysisSettings,
  hasControl: boolean,
): Effect[] {
  const has = (arm: string, period: string) => rows.some((r) => r.arm === arm && r.period === period);
  const out: Effect[] = [];
  const unit = spec.unit;
  const boot = settings.bootstrap;
  const base = {
    block_days: boot.blockDays,
    replicates: boot.replicates,
    seed: boot.seed,
    scale: spec.scale,
  };
  if (has('intervention', 'pre') && has('intervention', 'post')) {
    out.push(
      effect(kpi, unit, 'before_after', beforeAfter(rows, spec.scale, boot), { ...base, primary: false }),
    );
  }
  if (
    hasControl &&
    has('intervention', 'pre') &&
    has('intervention', 'post') &&
    has('control', 'pre') &&
    has('control', 'post')
  ) {
    const share = spec.composition;
    const placebo = share ? sharePlacebo(rows, share.active, boot) : placeboPreTrend(rows, spec.scale, boot);
    const estimate = share
      ? shareDifferenceInDifferences(rows, share.active, boot)
      : spec.estimand === 'realised'
        ? realisedDifferenceInDifferences(rows, spec.scale, boot)
        : differenceInDifferences(rows, spec.scale, boot);
    out.push(
      effect(kpi, unit, 'difference_in_differences', estimate, {
        ...base,
        ...(share ? { estimator: 'composition: per-class ratio-of-ratios counterfactual share' } : {}),
        estimand:
          spec.estimand === 'realised'
            ? 'realised effect at these sites over the reporting period (prediction interval for the counterfactual)'
            : 'expected effect',
        primary: spec.primary === 'difference_in_differences',
        parallel_trends_placebo: placebo,
      }),
    );
  }
  // No finite interval: a period shorter than two bootstrap blocks (stats/block-bootstrap.ts).
  return out.filter(
    (e) => Number.isFinite(e.estimate) && Number.isFinite(e.ci_low) && Number.isFinite(e.ci_high),
  );
}

function effect(
  kpi: string,
  unit: string,
  method: Effect['method'],
  e: IntervalEstimate,
  diagnostics: Record<string, unknown>,
): Effect {
  return {
    kpi,
    estimate: e.estimate,
    ci_low: e.ci_low,
    ci_high: e.ci_high,
    unit,
    method,
    n: e.n,
    diagnostics,
  };
}

function runOptionC(
  data: Extract<DomainDays, { domain: 'energy' }>,
  ref: ExperimentRef,
  window: AnalysisWindow,
  input: EffectsInput,
  y: 'kwh' | 'night',
): OptionCResult | null {
  const pre = new Set(window.pre);
  const post = new Set(window.post);
  const treated = new Set(ref.experiment.intervention_sites);
  const typeOf = new Map(
    input.registry.portfolio.devices.flatMap((d) =>
      d.domain === 'energy' ? [[d.id, d.building_type] as const] : [],
    ),
  );
  const rows: ModelDay[] = [];
  for (const d of data.days) {
    const period = pre.has(d.date) ? 'pre' : post.has(d.date) ? 'post' : undefined;
    const coverage = y === 'kwh' ? d.coverage : d.night_coverage;
    const value = y === 'kwh' ? d.kwh : d.night_kw;
    const temp = input.temperature.dailyMeanC(d.date);
    if (
      !period ||
      !treated.has(d.site) ||
      coverage < input.settings.min_coverage ||
      value === null ||
      temp === null
    )
      continue;
    rows.push({
      site: d.site,
      date: d.date,
      period,
      y: value,
      hdd: heatingDegreeDays(temp),
      temp,
      occupied: isOccupied(typeOf.get(d.device) ?? 'other', d.date),
    });
  }
  return optionC(rows, input.settings.gl14, input.settings.bootstrap);
}

function optionCEffect(kpi: string, spec: KpiSpec, r: OptionCResult, input: EffectsInput): Effect {
  const diagnostics: Record<string, unknown> = {
    primary: true,
    model:
      'ASHRAE Guideline 14 three-parameter heating change-point model per building and day type (occupied, unoccupied): kWh/day = b0 + b1·max(0, Tb − T), balance temperature Tb fitted; on the baseline',
    temperature_source: input.temperature.name,
    fractional_savings_uncertainty: r.fsu,
    adjusted_baseline: r.adjusted_baseline,
    adjusted_baseline_ci: r.adjusted_baseline_ci,
    measured: r.measured,
    interval:
      'bootstrap prediction interval of the counterfactual total: baseline days resampled in blocks and the models refitted, plus block-resampled baseline residuals for the reporting days',
    gl14_limits: input.settings.gl14,
    buildings: r.buildings.map((b) => ({
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
    block_days: input.settings.bootstrap.blockDays,
    replicates: input.settings.bootstrap.replicates,
  };
  const s = r.savings_fraction;
  if (kpi === 'avoided_kwh') {
    diagnostics.avoided_cost_gel = r.avoided.estimate * input.settings.energy.tariff_gel_per_kwh;
    diagnostics.avoided_co2_kg = r.avoided.estimate * input.settings.energy.co2_kg_per_kwh;
    return effect(kpi, spec.unit, 'ipmvp_option_c', r.avoided, diagnostics);
  }
  if (kpi === 'savings_fraction') return effect(kpi, spec.unit, 'ipmvp_option_c', s, diagnostics);
  // daily_kwh and night_base_load_kw: the relative change is minus the savings fraction.
  return effect(
    kpi,
    spec.unit,
    'ipmvp_option_c',
    { estimate: -s.estimate, ci_low: -s.ci_high, ci_high: -s.ci_low, n: s.n },
    diagnostics,
  );
}
