/** Mobility KPIs per counter and local date, from the stored interval counts (read through the store port). */
import type { MobilityDevice } from '../../config/portfolio-schema.js';
import type { TravelClass } from '../../contract/index.js';
import type { TelemetryStore } from '../../store/port.js';
import { readDeviceSeries } from '../device-series.js';
import type { LocalCalendar } from '../../calendar/city-calendar.js';
import { dailyCounts, peakHourFactor, total, type IntervalCount } from './counts.js';

export const ACTIVE_CLASSES: readonly TravelClass[] = ['pedestrian', 'bicycle', 'escooter'];

export interface CounterDay {
  device: string;
  site: string;
  date: string;
  coverage: number;
  /** Both directions, per class, over the intervals present. */
  by_class: Partial<Record<TravelClass, number>>;
  peak_hour_factor: number | null;
}

/** The stored intervals of one counter; `ts` is the interval end, so the bucket start is the end. */
export async function counterIntervals(
  store: TelemetryStore,
  counter: MobilityDevice,
  from: number,
  to: number,
): Promise<IntervalCount[]> {
  const intervalMs = counter.reporting_interval_s * 1000;
  const byEnd = new Map<number, Record<string, number>>();
  for (const cls of counter.classes) {
    for (const dir of ['in', 'out'] as const) {
      const metric = `${cls}_${dir}`;
      const series = await readDeviceSeries(store, {
        devices: [counter.id],
        metric,
        from,
        to,
        stepMs: intervalMs,
      });
      const s = series.get(counter.id);
      s?.values.forEach((v, i) => {
        if (v === null) return;
        const end = s.t[i] as number;
        const counts = byEnd.get(end) ?? {};
        counts[metric] = v;
        byEnd.set(end, counts);
      });
    }
  }
  return [...byEnd.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([end, counts]) => ({ end, intervalMs, counts }));
}

export async function mobilityDays(
  store: TelemetryStore,
  counters: readonly MobilityDevice[],
  calendar: LocalCalendar,
  from: number,
  to: number,
): Promise<CounterDay[]> {
  const out: CounterDay[] = [];
  for (const counter of counters) {
    const intervals = await counterIntervals(store, counter, from, to);
    const byDate = new Map<string, IntervalCount[]>();
    for (const iv of intervals) {
      const date = calendar.dateOf(iv.end - iv.intervalMs / 2);
      byDate.set(date, [...(byDate.get(date) ?? []), iv]);
    }
    for (const [date, day] of dailyCounts(intervals, calendar)) {
      out.push({
        device: counter.id,
        site: counter.site,
        date,
        coverage: Math.min(1, day.coverage),
        by_class: Object.fromEntries(counter.classes.map((c) => [c, total(day, [c])])),
        peak_hour_factor: peakHourFactor(byDate.get(date) ?? [], calendar, counter.classes),
      });
    }
  }
  return out;
}
