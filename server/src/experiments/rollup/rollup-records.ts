/**
 * One record per device and local date: the domain's own row for the date, computed over the
 * date with its neighbouring days (so it is the row any analysis window that holds those days
 * computes), and what the query side needs to tell whether a given window would have seen the
 * same readings around the date: how many readings the date has and the nearest ones before and
 * after it. For waste, the fill-rate parts of the pairs of readings that end on the date.
 */
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import { addDays, type LocalCalendar } from '../../calendar/city-calendar.js';
import type { TelemetryStore } from '../../store/port.js';
import type { StoredDay } from '../../store/rollup-port.js';
import type { AnalysisSettings } from '../settings.js';
import { bucketTimes, type DayRow, type DomainAdapter } from './domain-adapters.js';
import { lowerBound } from './points-store.js';

export interface RollupDay {
  row: DayRow | null;
  /** Readings the domain code sees on the date. */
  n: number;
  /** The nearest such reading before the date's start, and at or after its end (within the computed range), epoch ms. */
  prev: number | null;
  next: number | null;
  rise?: number;
  ms?: number;
}

export function encodeDay(device: string, date: string, day: RollupDay): StoredDay {
  return { device, date, data: JSON.stringify(day) };
}

export function decodeDay(stored: StoredDay): RollupDay {
  return JSON.parse(stored.data) as RollupDay;
}

/** Records for the dates first..last of one device, from readings in `store` (which must hold the context days). */
export async function computeDays(
  store: TelemetryStore,
  adapter: DomainAdapter,
  device: DeviceConfig,
  calendar: LocalCalendar,
  first: string,
  last: string,
  settings: AnalysisSettings,
): Promise<Map<string, RollupDay>> {
  const k = adapter.contextDays(device);
  const from = calendar.startOf(addDays(first, -k));
  const to = calendar.startOf(addDays(last, 1 + k));
  const rows = await adapter.rows(store, device, calendar, from, to, settings);
  const times = await bucketTimes(store, adapter, device, from, to);
  const parts = await adapter.dayParts?.(store, device, calendar, from, to, settings);
  const out = new Map<string, RollupDay>();
  const byDate = new Map(rows.map((r) => [r.date, r]));
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const start = calendar.startOf(date);
    const end = calendar.startOf(addDays(date, 1));
    const i = lowerBound(times, start);
    const j = lowerBound(times, end);
    const row = byDate.get(date) ?? null;
    if (row === null && j === i) continue;
    const day: RollupDay = { row, n: j - i, prev: times[i - 1] ?? null, next: times[j] ?? null };
    const p = parts?.get(date);
    if (parts) [day.rise, day.ms] = [p?.rise ?? 0, p?.ms ?? 0];
    out.set(date, day);
  }
  return out;
}
