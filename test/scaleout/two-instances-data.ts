/**
 * The readings of the two-instance test and what a dashboard must show once all are in, worked
 * out from the published payloads alone. Values stay clear of every alert rule (fills below the
 * thresholds and rising slowly, steady batteries and temperatures, power without spikes,
 * counters never all zero), so the only alert in the test is the one it plants.
 */
import { TRAVEL_CLASSES, type ClassCounts } from '../../server/src/contract/index.js';
import type { DeviceConfig } from '../../server/src/config/portfolio-schema.js';

export interface Planned {
  topic: string;
  payload: string;
  device: string;
  pilot: string | undefined;
  domain: DeviceConfig['domain'];
  ts: number;
  metrics: Record<string, number>;
  /** Metric rows the store holds for it. */
  rows: number;
}

export interface Message {
  topic: string;
  payload: string;
}

/**
 * `total` readings, one per device in turn, 1 s apart per device, and the messages to publish:
 * each round starts with status messages, so that a round is an odd number of messages and a
 * broker handing them out in turn sends a device's consecutive readings to alternate instances.
 */
export function planReadings(
  devices: readonly DeviceConfig[],
  root: string,
  total: number,
  now: number,
): { readings: Planned[]; messages: Message[] } {
  const perDevice = Math.ceil(total / devices.length);
  const base = now - perDevice * 1000 - 60_000;
  const plan: Planned[] = [];
  const messages: Message[] = [];
  const statuses = devices.length % 2 === 0 ? 1 : 2;
  for (let j = 0; j < perDevice; j++) {
    for (let k = 0; k < statuses; k++) {
      const device = devices[(j + k) % devices.length] as DeviceConfig;
      messages.push({
        topic: `${root}/${device.domain}/${device.id}/status`,
        payload: JSON.stringify({ state: 'online', ts: base + j * 1000 }),
      });
    }
    for (const device of devices) {
      if (plan.length === total) return { readings: plan, messages };
      const ts = base + j * 1000;
      let payload: Record<string, unknown>;
      let metrics: Record<string, number>;
      if (device.domain === 'waste') {
        const fill = Math.round((0.2 + (0.4 * j) / perDevice) * 1000) / 1000;
        metrics = { fill, battery_v: 3.6, temp_c: 10 };
        payload = { ts, seq: j, ...metrics, src: 'sim' };
      } else if (device.domain === 'energy') {
        metrics = { energy_kwh: 1000 + j * 0.5, power_kw: 20 + (j % 10) };
        payload = { ts, seq: j, ...metrics, src: 'sim' };
      } else if (device.domain === 'weather') {
        metrics = { temp_c: 12 + (j % 7) / 2, humidity_pct: 70 };
        payload = { ts, seq: j, ...metrics, src: 'sim' };
      } else {
        const counts = { pedestrian: { in: 1 + (j % 5), out: 2 }, bicycle: { in: 1, out: j % 3 } };
        metrics = {
          interval_s: 60,
          pedestrian_in: counts.pedestrian.in,
          pedestrian_out: counts.pedestrian.out,
          bicycle_in: counts.bicycle.in,
          bicycle_out: counts.bicycle.out,
        };
        payload = { ts, seq: j, interval_s: 60, counts, src: 'sim' };
      }
      const message = {
        topic: `${root}/${device.domain}/${device.id}/telemetry`,
        payload: JSON.stringify(payload),
      };
      messages.push(message);
      plan.push({
        ...message,
        device: device.id,
        pilot: device.pilot,
        domain: device.domain,
        ts,
        metrics,
        rows: Object.keys(metrics).length,
      });
    }
  }
  return { readings: plan, messages };
}

export function expectedView(plan: readonly Planned[]) {
  const newest = new Map<string, Planned>();
  for (const p of plan) if ((newest.get(p.device)?.ts ?? -1) < p.ts) newest.set(p.device, p);
  const last = [...newest.values()];
  const bins = last.filter((p) => p.pilot === 'smart-waste');
  const fillOf = (p: Planned) => p.metrics.fill ?? 0;
  return {
    devices: new Map(last.map((p) => [p.device, { ts: p.ts, metrics: p.metrics }])),
    fills: plan.filter((p) => p.domain === 'waste').length,
    waste: { reporting: bins.length, meanFill: bins.reduce((s, p) => s + fillOf(p), 0) / bins.length },
    energyKw: last
      .filter((p) => p.pilot === 'school-energy')
      .reduce((s, p) => s + (p.metrics.power_kw ?? 0), 0),
    /** Counts of the corridor's intervals that end after local midnight `dayStart`. */
    mobilityToday(dayStart: number): ClassCounts {
      const today: ClassCounts = {};
      for (const cls of TRAVEL_CLASSES) today[cls] = { in: 0, out: 0 };
      for (const p of plan) {
        if (p.pilot !== 'active-mobility' || p.ts - 1 < dayStart) continue;
        for (const cls of TRAVEL_CLASSES) {
          const counts = today[cls] as { in: number; out: number };
          counts.in += p.metrics[`${cls}_in`] ?? 0;
          counts.out += p.metrics[`${cls}_out`] ?? 0;
        }
      }
      return today;
    },
  };
}
