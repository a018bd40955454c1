/**
 * Daily mean air temperature of a weather station from its stored readings.
 *
 * A station's own readings (instantaneous, or means over less than a day) are reduced to one value
 * per local hour — the median, so that one sun-heated or wet reading moves nothing — and the day's
 * mean is the mean of its hours. A day needs most of its hours (the coverage rule the meters follow):
 * a day missing its afternoon would read cold. Where the station has no such day, a daily mean
 * imported from a meteorological service (a reading with `interval_s` of a day, ending at the
 * next local midnight) stands in.
 */
import type { TelemetryStore } from '../../store/port.js';
import { readDeviceSeries } from '../device-series.js';
import type { LocalCalendar } from '../../calendar/city-calendar.js';

const DAY_S = 86_400;

export interface StationDay {
  date: string;
  mean_c: number;
  /** Share of the day's 24 hours with a reading (1 for an imported daily mean). */
  coverage: number;
  origin: 'readings' | 'daily_mean';
}

export interface StationPoint {
  /** Epoch ms the value stands for (a mean's midpoint). */
  t: number;
  temp: number;
  /** Seconds averaged, 0 for an instantaneous reading. */
  intervalS: number;
}

/** Pure part: station points in, one row per local date that passes the coverage rule. */
export function stationDays(
  points: readonly StationPoint[],
  calendar: LocalCalendar,
  minCoverage: number,
): Map<string, StationDay> {
  const hours = new Map<string, Map<number, number[]>>();
  const imported = new Map<string, number>();
  for (const p of points) {
    if (p.intervalS >= DAY_S) {
      imported.set(calendar.dateOf(p.t), p.temp);
      continue;
    }
    const date = calendar.dateOf(p.t);
    const hour = Math.floor(calendar.hourOf(p.t));
    let day = hours.get(date);
    if (!day) hours.set(date, (day = new Map<number, number[]>()));
    const list = day.get(hour);
    if (list) list.push(p.temp);
    else day.set(hour, [p.temp]);
  }
  const out = new Map<string, StationDay>();
  for (const [date, day] of hours) {
    const coverage = day.size / 24;
    if (coverage < minCoverage) continue;
    let sum = 0;
    for (const values of day.values()) sum += median(values);
    out.set(date, { date, mean_c: sum / day.size, coverage, origin: 'readings' });
  }
  for (const [date, mean] of imported) {
    if (!out.has(date)) out.set(date, { date, mean_c: mean, coverage: 1, origin: 'daily_mean' });
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 1) return values[0] as number;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The station's readings over [from, to) as points; a mean stands at the middle of its interval. */
export async function readStationPoints(
  store: TelemetryStore,
  station: { id: string; reporting_interval_s: number },
  from: number,
  to: number,
): Promise<StationPoint[]> {
  // Bucketed at the reporting interval (at least a minute), so each bucket holds one reading.
  const stepMs = Math.max(60_000, station.reporting_interval_s * 1000);
  // An imported daily mean ends at the midnight after its day: read one day further.
  const request = { devices: [station.id], from, to: to + DAY_S * 1000, stepMs, agg: 'last' as const };
  const [temps, intervals] = await Promise.all([
    readDeviceSeries(store, { ...request, metric: 'temp_c' }),
    readDeviceSeries(store, { ...request, metric: 'interval_s' }),
  ]);
  const t = temps.get(station.id);
  const iv = intervals.get(station.id);
  const points: StationPoint[] = [];
  t?.values.forEach((temp, i) => {
    if (temp === null) return;
    const at = t.t[i] as number;
    const intervalS = iv?.values[i] ?? 0;
    const mid = at - (intervalS * 1000) / 2;
    if (mid >= from && mid < to) points.push({ t: mid, temp, intervalS });
  });
  return points;
}
