/**
 * What an experiment of the waste domain reads and estimates: its KPIs (each a ratio per bin-day),
 * the bin-day tables from raw readings or from the rollups, and the old round replayed on the
 * intervention bins' own readings beside the difference-in-differences (waste-replay.ts).
 */
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import { addDays } from '../../calendar/city-calendar.js';
import type { DomainDays } from '../../experiments/experiment-data.js';
import type { KpiSpec, UnitDay } from '../../experiments/kpi-catalog.js';
import {
  contextDays,
  reportingStep,
  type DeviceRange,
  type DomainAdapter,
} from '../../experiments/rollup/domain-adapters.js';
import { readBinFill } from './bin-fills.js';
import type { DomainExperiments } from '../domain-module.js';
import { fillRateOf, fillRateParts, type FillRateParts } from './collections.js';
import { loadWasteReplay, replayEffects } from './waste-replay.js';
import { binSummary, wasteDays, type BinDay } from './waste-kpis.js';

type WasteDays = Extract<DomainDays, { domain: 'waste' }>;

/**
 * A KPI's unit-days from bin-days: only the fields the estimators read. A copy of every bin-day per
 * KPI (measured, and the replay's two periods) was a tenth of a cold analysis of 500 bins (profiled).
 */
const waste =
  (pick: (d: Extract<DomainDays, { domain: 'waste' }>['days'][number]) => [number, number]) =>
  (data: DomainDays): UnitDay[] =>
    data.domain === 'waste'
      ? data.days.map((d) => {
          const [num, den] = pick(d);
          return { device: d.device, site: d.site, date: d.date, coverage: d.coverage, num, den };
        })
      : [];

const kpis: Record<string, KpiSpec> = {
  wasted_trip_share: {
    domain: 'waste',
    unit: 'fraction',
    scale: 'level',
    definition:
      'collections with fill before below wasted_trip_fill / collections (pooled over bins and days)',
    primary: 'difference_in_differences',
    estimand: 'realised',
    rows: waste((d) => [d.wasted_trips, d.collections]),
  },
  fill_at_collection: {
    domain: 'waste',
    unit: 'fraction',
    scale: 'level',
    definition: 'mean fill of the last reading before each detected collection',
    primary: 'difference_in_differences',
    estimand: 'realised',
    rows: waste((d) => [d.fill_at_collection_sum, d.collections]),
  },
  overflow_bin_days: {
    domain: 'waste',
    unit: 'fraction of bin-days',
    scale: 'level',
    definition: 'share of bin-days with any reading at or above overflow_fill',
    primary: 'difference_in_differences',
    estimand: 'realised',
    rows: waste((d) => [d.overflow ? 1 : 0, 1]),
  },
  collections_per_bin_week: {
    domain: 'waste',
    unit: 'collections/bin/week',
    scale: 'level',
    definition: '7 × detected collections per bin-day',
    primary: 'difference_in_differences',
    estimand: 'realised',
    rows: waste((d) => [7 * d.collections, 1]),
  },
};

const bins = (devices: readonly DeviceConfig[]) => devices.flatMap((d) => (d.domain === 'waste' ? [d] : []));

/**
 * The waste domain's fill-rate parts of the pairs of consecutive readings that end on each date
 * (the pair from the day before included when that reading is in range): they add up over the
 * days of any window to the window's fill rate.
 */
const fillPartsByDate: DeviceRange<Map<string, FillRateParts>> = async (
  store,
  device,
  calendar,
  from,
  to,
  settings,
) => {
  const fill = await readBinFill(store, device, from, to);
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
};

const rollup: DomainAdapter = {
  domain: 'waste',
  metrics: () => ['fill'],
  stepMs: reportingStep,
  contextDays,
  rows: async (store, device, calendar, from, to, settings) =>
    (await wasteDays(store, bins([device]), calendar, from, to, settings.waste)).days,
  dayParts: fillPartsByDate,
  assemble: (devices, rows, parts): WasteDays => ({
    domain: 'waste',
    days: rows as BinDay[],
    bins: devices.map((d, i) => binSummary(d.id, fillRateOf(parts[i] ?? { rise: 0, ms: 0 }))),
  }),
};

export const wasteExperiments: DomainExperiments = {
  kpis,
  days: async (store, devices, calendar, { from, to }, settings) => ({
    domain: 'waste',
    ...(await wasteDays(store, bins(devices), calendar, from, to, settings.waste)),
  }),
  rollup,
  analysis: async (input, ref, window) => {
    const replay = await loadWasteReplay(
      input.store,
      input.registry,
      input.calendar,
      ref,
      window,
      input.settings.waste,
    );
    return {
      alongside: (kpi, spec, data, made) =>
        replay && spec.estimand === 'realised'
          ? replayEffects(kpi, spec, data, replay, window, input.settings, made)
          : [],
    };
  },
};
