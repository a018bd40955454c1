/** Effect estimates for one experiment: every KPI, every applicable method, with diagnostics. */
import type { Registry } from '../config/registry.js';
import { pilotModule } from '../domains/registry.js';
import type { SiteTemperatures } from '../domains/weather/site-temperatures.js';
import type { LocalCalendar } from '../calendar/city-calendar.js';
import type { TelemetryStore } from '../store/port.js';
import {
  beforeAfter,
  differenceInDifferences,
  placeboPreTrend,
  realisedDifferenceInDifferences,
  type SiteDay,
} from './did.js';
import { effect, type Effect } from './effect.js';
import { loadDomainDays, type AnalysisWindow, type ExperimentRef } from './experiment-data.js';
import { KPIS, type KpiSpec } from './kpi-catalog.js';
import { shareDifferenceInDifferences, sharePlacebo } from './share-did.js';
import type { KpiRollup } from './rollup/kpi-rollup.js';
import type { AnalysisSettings } from './settings.js';
import { siteDays, type SiteCoverage } from './site-days.js';

export type { Effect } from './effect.js';

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
  const analysis = await pilotModule(ref.pilot.domain).experiments.analysis?.(input, ref, window, data);
  if (analysis?.temperature) report.temperature = analysis.temperature;
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
      made.push(...(analysis?.alongside?.(kpi, spec, data, made) ?? []));
      report.effects.push(...made);
    }
    const own = analysis?.own?.(kpi, spec);
    if (own) {
      report.effects.push(...own.effects);
      if (own.effects.length === 0) report.not_estimated.push({ kpi, reason: own.reason });
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
