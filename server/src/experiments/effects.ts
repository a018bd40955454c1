/** Effect estimates for one experiment: every KPI, every applicable method, with diagnostics. */
import type { Registry } from '../config/registry.js';
import { loadSiteTemperatures, type SiteTemperatures } from '../domains/weather/site-temperatures.js';
import type { LocalCalendar } from '../calendar/city-calendar.js';
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
import type { KpiRollup } from './rollup/kpi-rollup.js';
import { loadWasteReplay, replayEffect, type WasteReplay } from './waste-replay.js';
import {
  disagree,
  energyEstimates,
  energyModelRows,
  pickKpi,
  type EnergyEstimates,
  type EnergyMethod,
  type EnergyOutcome,
} from './energy-effects.js';
import type { AnalysisSettings } from './settings.js';
import { siteDays, type SiteCoverage } from './site-days.js';

export interface Effect {
  kpi: string;
  estimate: number;
  ci_low: number;
  ci_high: number;
  unit: string;
  method:
    'before_after' | 'difference_in_differences' | 'round_replay' | 'ipmvp_option_c' | 'comparison_group';
  n: number;
  diagnostics: Record<string, unknown>;
}

export interface EffectsReport {
  effects: Effect[];
  data_quality: Record<string, SiteCoverage[]>;
  not_estimated: { kpi: string; reason: string }[];
  /** Per-day rows the estimates used, for the export. */
  daily: { kpi: string; rows: SiteDay[] }[];
  /** Energy experiments: where the daily outdoor temperatures came from. */
  temperature?: { kind: SiteTemperatures['kind']; name: string; coverage: SiteTemperatures['coverage'] };
}

export interface EffectsInput {
  store: TelemetryStore;
  registry: Registry;
  calendar: LocalCalendar;
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
  const weather =
    data.domain === 'energy'
      ? await loadSiteTemperatures(
          input.store,
          input.registry,
          input.calendar,
          ref.experiment.intervention_sites.concat(ref.experiment.control_sites),
          window,
          input.settings.min_coverage,
        )
      : undefined;
  if (weather) report.temperature = { kind: weather.kind, name: weather.name, coverage: weather.coverage };
  const energyCache = new Map<EnergyOutcome, EnergyEstimates>();
  const replay =
    data.domain === 'waste'
      ? await loadWasteReplay(input.store, input.registry, input.calendar, ref, window, input.settings.waste)
      : null;
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
      const made = diffEffects(kpi, spec, rows, input.settings, ref.experiment.control_sites.length > 0);
      if (replay && spec.estimand === 'realised')
        made.push(...replayEffects(kpi, spec, data, replay, window, input, made));
      report.effects.push(...made);
    }
    if (spec.primary === 'ipmvp_option_c' && data.domain === 'energy' && weather) {
      const y: EnergyOutcome = kpi === 'night_base_load_kw' ? 'night' : 'kwh';
      let estimates = energyCache.get(y);
      if (!estimates) {
        const rows = energyModelRows(
          data,
          ref,
          window,
          input.registry,
          weather,
          input.settings.min_coverage,
          y,
        );
        energyCache.set(y, (estimates = energyEstimates(rows, weather, input.settings)));
      }
      const made = (['ipmvp_option_c', 'comparison_group'] as const).flatMap(
        (method) => energyEffect(kpi, spec, method, estimates, input, weather) ?? [],
      );
      report.effects.push(...made);
      if (made.length === 0)
        report.not_estimated.push({
          kpi,
          reason: 'the weather-normalised models need baseline and reporting days with temperature data',
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

/**
 * The KPI's own block length where both periods hold at least four such blocks; weekly blocks
 * otherwise, so that a short period still gets an interval (two blocks are the least there can be).
 */
function blocksFor(spec: KpiSpec, rows: readonly SiteDay[], settings: AnalysisSettings) {
  const days = (period: string) => new Set(rows.filter((r) => r.period === period).map((r) => r.date)).size;
  const shortest = Math.min(days('pre'), days('post'));
  return spec.blockDays && shortest >= 4 * spec.blockDays
    ? { ...settings.bootstrap, blockDays: spec.blockDays }
    : settings.bootstrap;
}

/**
 * Waste KPIs: the old round replayed on the intervention bins' own readings (waste-replay.ts). It is
 * the primary estimate when every bin's round was regular enough to learn; the difference-in-
 * differences then stays beside it as a check, with whether the two agree.
 */
function replayEffects(
  kpi: string,
  spec: KpiSpec,
  data: DomainDays,
  replay: WasteReplay,
  window: AnalysisWindow,
  input: EffectsInput,
  others: Effect[],
): Effect[] {
  const boot = input.settings.bootstrap;
  const r = replayEffect(spec, data, replay, window, input.settings.min_coverage, boot);
  if (!r || !Number.isFinite(r.ci_low) || !Number.isFinite(r.ci_high)) return [];
  const did = others.find((o) => o.method === 'difference_in_differences');
  const primary = replay.regular;
  if (did && primary) {
    did.diagnostics.primary = false;
    did.diagnostics.methods_disagree = disagree(did, r);
  }
  return [
    effect(kpi, spec.unit, 'round_replay', r, {
      primary,
      primary_reason: primary ? 'round_replayed' : 'round_irregular',
      estimand: 'realised effect at the intervention bins over the reporting period',
      model:
        "each intervention bin's round before the start (learned from its baseline collections) replayed on its own reporting-period readings",
      rounds: replay.rounds.map((x) => ({
        device: x.device,
        slots: x.slots,
        explained: x.explained,
        baseline_collections: x.collections,
      })),
      baseline_check: r.baseline_check,
      methods_disagree: did ? disagree(did, r) : null,
      block_days: boot.blockDays,
      replicates: boot.replicates,
      seed: boot.seed,
    }),
  ];
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
  const boot = blocksFor(spec, rows, settings);
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

function energyEffect(
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
