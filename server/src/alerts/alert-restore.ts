/**
 * Start-up only: the fill trend of every bin (every device whose rules learn one) from the store, so the collection plan is right
 * straight after a restart. (Rules never query the store while running.) Bins are read in
 * groups of the same interval and window, many per query, and only those seen within the window.
 */
import type { Registry } from '../config/registry.js';
import type { TelemetryStore } from '../store/port.js';
import type { AlertEngine } from './alert-engine.js';

const DEVICES_PER_QUERY = 500;

export async function restoreFillHistory(
  engine: AlertEngine,
  store: TelemetryStore,
  registry: Registry,
  now: number,
  lastSeen: ReadonlyMap<string, number> = new Map(),
): Promise<void> {
  const groups = new Map<string, { step: number; windowMs: number; devices: string[] }>();
  for (const device of registry.devices.values()) {
    if (!engine.learnsFill(device.id)) continue;
    const t = engine.thresholds(device.id);
    if (!t) continue;
    const step = device.reporting_interval_s * 1000;
    const windowMs = t.fill_rate_window_h * 3_600_000;
    if ((lastSeen.get(device.id) ?? 0) < now - windowMs) continue;
    const key = `${step}/${windowMs}`;
    const group = groups.get(key) ?? { step, windowMs, devices: [] };
    group.devices.push(device.id);
    groups.set(key, group);
  }
  for (const { step, windowMs, devices } of groups.values()) {
    for (let i = 0; i < devices.length; i += DEVICES_PER_QUERY) {
      const chunk = devices.slice(i, i + DEVICES_PER_QUERY);
      const result = await store.series({
        selectors: chunk.map((id) => ({ key: id, devices: [id] })),
        metric: 'fill',
        from: now - windowMs,
        to: now + step,
        step,
        agg: 'last',
      });
      for (const series of result.series) {
        const points: { ts: number; fill: number }[] = [];
        // Bucket starts stand in for reading times: off by less than one interval, which a trend over hours ignores.
        result.t.forEach((ts, k) => {
          const fill = series.values[k];
          if (fill !== null && fill !== undefined) points.push({ ts, fill });
        });
        engine.restoreFill(series.key, points);
      }
    }
  }
}
