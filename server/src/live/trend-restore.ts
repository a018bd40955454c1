/**
 * A day of each pilot's sparkline from the store (start-up, and after the demo's history): the
 * headline per 15-minute bucket as the live engine would have sampled it. Waste: the bins' mean
 * fill; energy: the buildings' kW summed; counters: passages per bucket.
 */
import { DIRECTIONS, TRAVEL_CLASSES, type Domain, type TrendPoint } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { TelemetryStore } from '../store/port.js';
import type { IndicatorEngine } from './indicator-engine.js';

/** `devices`: the pilots' devices to restore from (engine-restore.ts leaves out fleets too big for it). */
export async function restoreTrends(
  engine: IndicatorEngine,
  store: TelemetryStore,
  devices: readonly DeviceConfig[],
  now: number,
): Promise<void> {
  const { trends } = engine;
  const to = trends.bucketOf(now) + trends.stepMs;
  const from = to - trends.size * trends.stepMs;
  const pilots = new Map<string, DeviceConfig[]>();
  for (const d of devices)
    if (d.pilot !== undefined) pilots.set(d.pilot, [...(pilots.get(d.pilot) ?? []), d]);
  for (const [pilot, mine] of pilots) {
    const domain = mine[0]?.domain ?? 'weather';
    const values = await headlines(store, domain, mine, from, to, trends.stepMs);
    const points: TrendPoint[] = [];
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) points.push({ t: from + i * trends.stepMs, v });
    });
    trends.restore(pilot, points, domain === 'mobility');
  }
}

async function headlines(
  store: TelemetryStore,
  domain: Domain,
  devices: readonly DeviceConfig[],
  from: number,
  to: number,
  step: number,
): Promise<(number | null)[]> {
  const pooled = async (metric: string, agg: 'mean' | 'sum') =>
    (
      await store.series({
        selectors: [{ key: 'pilot', devices: devices.map((d) => d.id) }],
        metric,
        from,
        to,
        step,
        agg,
      })
    ).series[0]?.values ?? [];
  if (domain === 'waste') return pooled('fill', 'mean');
  if (domain === 'energy') {
    // Each building's mean, summed over those that reported.
    const { series } = await store.series({
      selectors: devices.map((d) => ({ key: d.id, devices: [d.id] })),
      metric: 'power_kw',
      from,
      to,
      step,
      agg: 'mean',
    });
    return sumOf(series.map((s) => s.values));
  }
  const parts: (number | null)[][] = [];
  for (const cls of TRAVEL_CLASSES)
    for (const dir of DIRECTIONS) parts.push(await pooled(`${cls}_${dir}`, 'sum'));
  return sumOf(parts);
}

function sumOf(parts: readonly (readonly (number | null)[])[]): (number | null)[] {
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
