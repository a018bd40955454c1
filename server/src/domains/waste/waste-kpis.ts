/** Waste KPIs per bin and local date, from the stored fill series (read through the store port). */
import type { WasteDevice } from '../../config/portfolio-schema.js';
import type { TelemetryStore } from '../../store/port.js';
import { readBinFill } from './bin-fills.js';
import { nextDate, type LocalCalendar } from '../../calendar/city-calendar.js';
import {
  DEFAULT_WASTE_OPTIONS,
  detectCollections,
  fillColumns,
  fillRatePerDay,
  type WasteOptions,
} from './collections.js';

export interface BinDay {
  device: string;
  site: string;
  date: string;
  /** Readings present / readings expected at the reporting interval. */
  coverage: number;
  collections: number;
  wasted_trips: number;
  /** Sum of the fill before each collection (divide by collections for the mean). */
  fill_at_collection_sum: number;
  overflow: boolean;
  max_fill: number;
}

export interface BinSummary {
  device: string;
  fill_rate_per_day: number | null;
  /** Days from empty to full at the mean rate. */
  time_to_full_days: number | null;
}

export async function wasteDays(
  store: TelemetryStore,
  bins: readonly WasteDevice[],
  calendar: LocalCalendar,
  from: number,
  to: number,
  options: WasteOptions = DEFAULT_WASTE_OPTIONS,
): Promise<{ days: BinDay[]; bins: BinSummary[] }> {
  const days: BinDay[] = [];
  const summaries: BinSummary[] = [];
  for (const bin of bins) {
    const step = bin.reporting_interval_s * 1000;
    const fill = await readBinFill(store, bin, from, to);
    const byDate = new Map<string, BinDay>();
    const dayOf = (t: number) => {
      const date = calendar.dateOf(t);
      let d = byDate.get(date);
      if (!d) {
        d = {
          device: bin.id,
          site: bin.site,
          date,
          coverage: 0,
          collections: 0,
          wasted_trips: 0,
          fill_at_collection_sum: 0,
          overflow: false,
          max_fill: 0,
        };
        byDate.set(date, d);
      }
      return d;
    };
    // The length of each local day once per day, not per reading (a year of readings is 35,000 calendar lookups).
    const dayLength = new Map<string, number>();
    for (const p of fill) {
      const d = dayOf(p.t);
      let dayMs = dayLength.get(d.date);
      if (dayMs === undefined) {
        dayMs = calendar.startOf(nextDate(d.date)) - calendar.startOf(d.date);
        dayLength.set(d.date, dayMs);
      }
      d.coverage += step / dayMs;
      d.max_fill = Math.max(d.max_fill, p.fill);
      if (p.fill >= options.overflowFill) d.overflow = true;
    }
    for (const c of detectCollections(fillColumns(fill), options.collectionDrop)) {
      const d = dayOf(c.at);
      d.collections += 1;
      d.fill_at_collection_sum += c.fillBefore;
      if (c.fillBefore < options.wastedTripFill) d.wasted_trips += 1;
    }
    for (const d of byDate.values()) d.coverage = Math.min(1, d.coverage);
    days.push(...byDate.values());
    summaries.push(binSummary(bin.id, fillRatePerDay(fill, options)));
  }
  return { days, bins: summaries };
}

export function binSummary(device: string, rate: number | null): BinSummary {
  return { device, fill_rate_per_day: rate, time_to_full_days: rate && rate > 0 ? 1 / rate : null };
}
