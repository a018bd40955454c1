/**
 * What the rollups need to know of each domain, and nothing of its KPIs: which metrics its day
 * rows are computed from, at what step, how far a day's row can depend on readings around it, and
 * the domain's own range function (wasteDays, mobilityDays, energyDays), which computes the rows.
 * Each domain module (server/src/domains/<domain>/) holds its adapter; KPI semantics stay there.
 */
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import { readDeviceSeries, points } from '../../domains/device-series.js';
import type { PilotDomain } from '../../domains/domain-module.js';
import { pilotModule, isPilotDomain } from '../../domains/registry.js';
import type { BuildingDay } from '../../domains/energy/energy-kpis.js';
import type { LocalCalendar } from '../../calendar/city-calendar.js';
import type { CounterDay } from '../../domains/mobility/mobility-kpis.js';
import type { FillRateParts } from '../../domains/waste/collections.js';
import type { BinDay } from '../../domains/waste/waste-kpis.js';
import type { TelemetryStore } from '../../store/port.js';
import type { DomainDays } from '../experiment-data.js';
import type { AnalysisSettings } from '../settings.js';

export type DayRow = BinDay | CounterDay | BuildingDay;
export type { PilotDomain } from '../../domains/domain-module.js';

const DAY = 86_400_000;

/** A per-device computation over [from, to), read from `store`. */
export type DeviceRange<T> = (
  store: TelemetryStore,
  device: DeviceConfig,
  calendar: LocalCalendar,
  from: number,
  to: number,
  settings: AnalysisSettings,
) => Promise<T>;

export interface DomainAdapter {
  domain: PilotDomain;
  metrics(device: DeviceConfig): string[];
  stepMs(device: DeviceConfig): number;
  /**
   * Whole days around a day that its row may depend on: a day's readings and those of its
   * neighbours up to this far (a collection is a drop from the reading before; energy intervals
   * span up to two reporting intervals or two hours; a count interval ends after its middle).
   */
  contextDays(device: DeviceConfig): number;
  /** The domain's own rows for the device. */
  rows: DeviceRange<DayRow[]>;
  /**
   * Per date, parts of a per-device figure that add up over any window's dates (the bins' fill
   * rate); absent when the domain has none.
   */
  dayParts?: DeviceRange<Map<string, FillRateParts>>;
  /** The analysis' table from every device's rows and, per device in the same order, its parts' sum. */
  assemble(devices: readonly DeviceConfig[], rows: DayRow[], parts: readonly FillRateParts[]): DomainDays;
}

export function adapterFor(domain: string): DomainAdapter | undefined {
  return isPilotDomain(domain) ? pilotModule(domain).experiments.rollup : undefined;
}

/** Days of context of most domains: four reporting intervals or half a day, at least one day. */
export const contextDays = (device: DeviceConfig) =>
  Math.max(1, Math.ceil(Math.max(4 * device.reporting_interval_s * 1000, 12 * 3_600_000) / DAY));

/** A reading every reporting interval. */
export const reportingStep = (device: DeviceConfig) => device.reporting_interval_s * 1000;

/** The times the domain code sees a reading of the device at (bucket starts at its step), ascending. */
export async function bucketTimes(
  store: TelemetryStore,
  adapter: DomainAdapter,
  device: DeviceConfig,
  from: number,
  to: number,
): Promise<number[]> {
  const times = new Set<number>();
  for (const metric of adapter.metrics(device)) {
    const series = await readDeviceSeries(store, {
      devices: [device.id],
      metric,
      from,
      to,
      stepMs: adapter.stepMs(device),
    });
    for (const p of points(series.get(device.id) ?? { t: [], values: [] })) times.add(p.t);
  }
  return [...times].sort((a, b) => a - b);
}
