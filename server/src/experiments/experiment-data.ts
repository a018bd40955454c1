/**
 * What an experiment analysis reads: the experiment and its pilot from the
 * registry, the analysis window (baseline and reporting dates), and the
 * per-device daily KPI tables of its domain, computed from the store.
 */
import type { Experiment, Pilot } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import type { BuildingDay } from '../domains/energy/energy-kpis.js';
import { addDays, datesBetween, type LocalCalendar } from '../calendar/city-calendar.js';
import type { CounterDay } from '../domains/mobility/mobility-kpis.js';
import { pilotModule } from '../domains/registry.js';
import type { BinDay, BinSummary } from '../domains/waste/waste-kpis.js';
import type { TelemetryStore } from '../store/port.js';
import type { KpiRollup } from './rollup/kpi-rollup.js';
import { rollupDomainDays } from './rollup/rollup-days.js';
import type { AnalysisSettings } from './settings.js';

export interface ExperimentRef {
  experiment: Experiment;
  pilot: Pilot;
}

export function listExperiments(registry: Registry): ExperimentRef[] {
  return registry.portfolio.pilots.flatMap((pilot) =>
    pilot.experiments.map((experiment) => ({ experiment, pilot })),
  );
}

export function findExperiment(registry: Registry, id: string): ExperimentRef | undefined {
  return listExperiments(registry).find((r) => r.experiment.id === id);
}

export interface AnalysisWindow {
  /** Baseline dates and reporting dates (local), inclusive lists. */
  pre: string[];
  post: string[];
  /** Epoch ms range read from the store. */
  from: number;
  to: number;
}

/**
 * Baseline = experiment.baseline clipped to [from, to); reporting = start up
 * to the day before `to` (default: today, so an unfinished day is left out).
 */
export function analysisWindow(
  ref: ExperimentRef,
  calendar: LocalCalendar,
  from?: number,
  to?: number,
): AnalysisWindow {
  const end = to ?? calendar.startOf(calendar.dateOf(Date.now()));
  const lastDate = calendar.dateOf(end - 1);
  const firstDate = from === undefined ? ref.experiment.baseline.from : calendar.dateOf(from);
  const clip = (a: string, b: string) =>
    datesBetween(a > firstDate ? a : firstDate, b < lastDate ? b : lastDate);
  const pre = clip(ref.experiment.baseline.from, ref.experiment.baseline.to);
  const post = clip(ref.experiment.start, lastDate);
  const startDate = pre[0] ?? post[0] ?? firstDate;
  const endDate = post[post.length - 1] ?? pre[pre.length - 1] ?? lastDate;
  return { pre, post, from: calendar.startOf(startDate), to: calendar.startOf(addDays(endDate, 1)) };
}

export type DomainDays =
  | { domain: 'waste'; days: BinDay[]; bins: BinSummary[] }
  | { domain: 'mobility'; days: CounterDay[] }
  | { domain: 'energy'; days: BuildingDay[] };

export function experimentDevices(registry: Registry, ref: ExperimentRef) {
  const sites = new Set([...ref.experiment.intervention_sites, ...ref.experiment.control_sites]);
  return registry.devicesWhere({ pilot: ref.pilot.id }).filter((d) => sites.has(d.site));
}

export async function loadDomainDays(
  store: TelemetryStore,
  registry: Registry,
  ref: ExperimentRef,
  calendar: LocalCalendar,
  window: AnalysisWindow,
  settings: AnalysisSettings,
  /** The daily rollups, when the store keeps them: the same tables, mostly without reading raw readings. */
  rollup?: KpiRollup,
): Promise<DomainDays> {
  const devices = experimentDevices(registry, ref);
  if (rollup)
    return rollupDomainDays(
      rollup,
      ref.pilot.domain,
      devices.filter((d) => d.domain === ref.pilot.domain),
      window,
    );
  const { from, to } = window;
  return pilotModule(ref.pilot.domain).experiments.days(store, devices, calendar, { from, to }, settings);
}
