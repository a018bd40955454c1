/** Store series for a pilot's sparkline (trend-restore.ts): pooled over its devices, or summed per point. */
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { TelemetryStore } from '../store/port.js';

export interface TrendRange {
  from: number;
  to: number;
  step: number;
}

/** One series of `metric` over all the devices together. */
export async function pooledSeries(
  store: TelemetryStore,
  devices: readonly DeviceConfig[],
  range: TrendRange,
  metric: string,
  agg: 'mean' | 'sum',
): Promise<(number | null)[]> {
  const { series } = await store.series({
    selectors: [{ key: 'pilot', devices: devices.map((d) => d.id) }],
    metric,
    from: range.from,
    to: range.to,
    step: range.step,
    agg,
  });
  return series[0]?.values ?? [];
}

/** Point by point, the sum of the parts that have a value there (null where none has). */
export function sumOf(parts: readonly (readonly (number | null)[])[]): (number | null)[] {
  const length = Math.max(0, ...parts.map((p) => p.length));
  return Array.from({ length }, (_, i) => {
    let sum: number | null = null;
    for (const part of parts) {
      const v = part[i];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}
