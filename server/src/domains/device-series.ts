/**
 * Reads per-device series through the TelemetryStore port. The port has no
 * raw-reading query, so a bucket of the device's reporting interval with
 * agg `last` stands in for the raw reading (one reading per bucket when the
 * device keeps its interval). Long ranges are read in chunks so that no query
 * asks the store (InfluxDB included) for more than MAX_BUCKETS buckets.
 */
import type { Aggregate, TelemetryStore } from '../store/port.js';

const MAX_BUCKETS = 10_000;

export interface DeviceSeries {
  /** Bucket starts, epoch ms, ascending. */
  t: number[];
  values: (number | null)[];
}

export interface SeriesRequest {
  devices: readonly string[];
  metric: string;
  from: number;
  to: number;
  stepMs: number;
  agg?: Aggregate;
}

export async function readDeviceSeries(
  store: TelemetryStore,
  request: SeriesRequest,
): Promise<Map<string, DeviceSeries>> {
  const out = new Map<string, DeviceSeries>(request.devices.map((d) => [d, { t: [], values: [] }]));
  if (request.devices.length === 0) return out;
  const chunk = MAX_BUCKETS * request.stepMs;
  const start = Math.floor(request.from / request.stepMs) * request.stepMs;
  for (let from = start; from < request.to; from += chunk) {
    const to = Math.min(request.to, from + chunk);
    const result = await store.series({
      selectors: request.devices.map((d) => ({ key: d, devices: [d] })),
      metric: request.metric,
      from,
      to,
      step: request.stepMs,
      agg: request.agg ?? 'last',
    });
    for (const s of result.series) {
      const target = out.get(s.key);
      if (!target) continue;
      target.t.push(...result.t);
      target.values.push(...s.values);
    }
  }
  return out;
}

/** The non-null points of a series. */
export function points(series: DeviceSeries): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  series.values.forEach((v, i) => {
    if (v !== null) out.push({ t: series.t[i] as number, v });
  });
  return out;
}
