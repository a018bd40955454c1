/**
 * Reads per-device series through the TelemetryStore port. The port has no
 * raw-reading query, so a bucket of the device's reporting interval with
 * agg `last` stands in for the raw reading (one reading per bucket when the
 * device keeps its interval). Long ranges are read in chunks so that no query
 * asks the store (InfluxDB included) for more than MAX_BUCKETS buckets.
 */
import type { DeviceConfig } from '../config/portfolio-schema.js';
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

/**
 * One store query for all the devices, of the range as given (readDeviceSeries chunks it and starts
 * it on a whole bucket): the live engine's restore reads at most a week. Only the devices the store
 * answered for are in the map.
 */
export async function seriesOnce(
  store: TelemetryStore,
  devices: readonly DeviceConfig[],
  request: { metric: string; from: number; to: number; stepMs: number; agg: Aggregate },
): Promise<Map<string, DeviceSeries>> {
  const out = new Map<string, DeviceSeries>();
  const { metric, from, to, stepMs: step, agg } = request;
  if (!devices.length || from >= to) return out;
  const result = await store.series({
    selectors: devices.map((d) => ({ key: d.id, devices: [d.id] })),
    metric,
    from,
    to,
    step,
    agg,
  });
  for (const s of result.series) out.set(s.key, { t: result.t, values: s.values });
  return out;
}
