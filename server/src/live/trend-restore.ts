/**
 * A day of each pilot's sparkline from the store (start-up, and after the demo's history): the
 * headline per 15-minute bucket as the live engine would have sampled it, by the domain's
 * module (waste: the bins' mean fill; energy: the buildings' kW summed; counters: passages per bucket).
 */
import type { TrendPoint } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import { domainModule } from '../domains/registry.js';
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
    const first = mine[0];
    const groups = first && domainModule(first.domain).groups;
    if (!groups) continue;
    const values = await groups.trend.restore(store, mine, { from, to, step: trends.stepMs });
    const points: TrendPoint[] = [];
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) points.push({ t: from + i * trends.stepMs, v });
    });
    trends.restore(pilot, points, groups.trend.counter);
  }
}
