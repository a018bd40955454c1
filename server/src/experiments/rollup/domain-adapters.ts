/**
 * What the rollups need to know of each domain, and nothing of its KPIs: which metrics its day
 * rows are computed from, at what step, how far a day's row can depend on readings around it, and
 * the domain's own range function (wasteDays, mobilityDays, energyDays), which computes the rows.
 * KPI semantics stay in server/src/domains/.
 */
import type { DeviceConfig, PILOT_DOMAINS } from '../../config/portfolio-schema.js';
import { readDeviceSeries, points } from '../../domains/device-series.js';
import { energyDays, type BuildingDay } from '../../domains/energy/energy-kpis.js';
import { addDays, type LocalCalendar } from '../../calendar/city-calendar.js';
import { mobilityDays, type CounterDay } from '../../domains/mobility/mobility-kpis.js';
import { fillRateParts, type FillRateParts } from '../../domains/waste/collections.js';
import { wasteDays, type BinDay } from '../../domains/waste/waste-kpis.js';
import type { TelemetryStore } from '../../store/port.js';
import type { AnalysisSettings } from '../settings.js';

export type DayRow = BinDay | CounterDay | BuildingDay;
/** The domains that have pilots and experiments (a weather station belongs to none). */
export type PilotDomain = (typeof PILOT_DOMAINS)[number];

const DAY = 86_400_000;

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
  /** The domain's own rows for the device over [from, to), read from `store`. */
  rows(
    store: TelemetryStore,
    device: DeviceConfig,
    calendar: LocalCalendar,
    from: number,
    to: number,
    settings: AnalysisSettings,
  ): Promise<DayRow[]>;
}

export function adapterFor(domain: string): DomainAdapter | undefined {
  return (ADAPTERS as Record<string, DomainAdapter | undefined>)[domain];
}

const context = (device: DeviceConfig) =>
  Math.max(1, Math.ceil(Math.max(4 * device.reporting_interval_s * 1000, 12 * 3_600_000) / DAY));

export const ADAPTERS: Record<PilotDomain, DomainAdapter> = {
  waste: {
    domain: 'waste',
    metrics: () => ['fill'],
    stepMs: (d) => d.reporting_interval_s * 1000,
    contextDays: context,
    rows: async (store, device, calendar, from, to, settings) =>
      device.domain === 'waste'
        ? (await wasteDays(store, [device], calendar, from, to, settings.waste)).days
        : [],
  },
  mobility: {
    domain: 'mobility',
    metrics: (d) => (d.domain === 'mobility' ? d.classes.flatMap((c) => [`${c}_in`, `${c}_out`]) : []),
    stepMs: (d) => d.reporting_interval_s * 1000,
    contextDays: context,
    rows: async (store, device, calendar, from, to) =>
      device.domain === 'mobility' ? await mobilityDays(store, [device], calendar, from, to) : [],
  },
  energy: {
    domain: 'energy',
    metrics: () => ['energy_kwh'],
    stepMs: (d) => d.reporting_interval_s * 1000,
    contextDays: context,
    rows: async (store, device, calendar, from, to) =>
      device.domain === 'energy' ? await energyDays(store, [device], calendar, from, to) : [],
  },
};

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

/**
 * The waste domain's fill-rate parts of the pairs of consecutive readings that end on each date
 * (the pair from the day before included when that reading is in range): they add up over the
 * days of any window to the window's fill rate.
 */
export async function fillPartsByDate(
  store: TelemetryStore,
  device: DeviceConfig,
  calendar: LocalCalendar,
  from: number,
  to: number,
  settings: AnalysisSettings,
): Promise<Map<string, FillRateParts>> {
  const series = await readDeviceSeries(store, {
    devices: [device.id],
    metric: 'fill',
    from,
    to,
    stepMs: device.reporting_interval_s * 1000,
  });
  const fill = points(series.get(device.id) ?? { t: [], values: [] }).map((p) => ({ t: p.t, fill: p.v }));
  const out = new Map<string, FillRateParts>();
  let start = 0;
  while (start < fill.length) {
    const date = calendar.dateOf((fill[start] as { t: number }).t);
    const next = calendar.startOf(addDays(date, 1));
    let end = start;
    while (end < fill.length && (fill[end] as { t: number }).t < next) end += 1;
    out.set(date, fillRateParts(fill.slice(Math.max(0, start - 1), end), settings.waste));
    start = end;
  }
  return out;
}
