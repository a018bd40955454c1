/**
 * The whole path in every format: the simulator publishes three hours of the example portfolio
 * with each bound device in its source's format (`--format sources`: TTN v3, ChirpStack v4, SenML,
 * Tasmota, Shelly), the server stores them through the sources, and what is stored equals what the
 * same seed produces in the native contract.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../server/src/config/portfolio-schema.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { generateRange } from '../../simulators/src/generate.js';
import { encode } from '../../simulators/src/mqtt-io.js';
import { waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';

const PORTFOLIO = 'config/examples/portfolio-sources.yaml';
const HOUR = 3_600_000;
/** The metric a device is compared on: what it sends (an ultrasonic bin its distance). */
function metricOf(device: DeviceConfig): string {
  if (device.domain === 'waste') return device.sensor === 'ultrasonic' ? 'distance_mm' : 'fill';
  return device.domain === 'mobility' ? 'pedestrian_in' : 'energy_kwh';
}

describe('simulator --format sources → server sources → store', () => {
  let server: ServerUnderTest;
  const registry = loadRegistry(PORTFOLIO);
  const to = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const from = to - 3 * HOUR;
  const options = { registry, seed: 11, from, to };

  beforeAll(async () => {
    server = await startServerUnderTest(undefined, { LOG_LEVEL: 'error' }, PORTFOLIO);
    await waitFor('every source subscribed', async () =>
      (await server.get<{ status: string }>('/api/health')).status === 'ok' ? true : undefined,
    );
  });
  afterAll(async () => {
    await server?.runtime.stop();
  });

  it(
    'stores every bound device’s readings as the native contract would have them',
    { timeout: 60_000 },
    async () => {
      const bound = [...registry.devices.values()].filter((d) => d.source);
      const publisher = await mqtt.connectAsync(server.runtime.mqttUrl, {
        clientId: `sim-formats-${process.pid}`,
      });
      let sent = 0;
      for (const batch of generateRange({ ...options, format: 'sources' }))
        for (const message of batch.messages) {
          if (!bound.some((d) => d.id === message.device)) continue;
          await publisher.publishAsync(message.topic, encode(message.payload), { qos: 1 });
          sent += 1;
        }
      await publisher.endAsync();
      // Native expectation from the same seed: the metric per device and timestamp.
      const expected = new Map<string, Map<number, number>>();
      for (const batch of generateRange(options))
        for (const m of batch.messages) {
          const device = registry.device(m.device);
          if (!device?.source || m.kind !== 'telemetry' || typeof m.payload === 'string') continue;
          const p = m.payload;
          const value =
            device.domain === 'mobility'
              ? (p.counts as Record<string, { in: number }>).pedestrian?.in
              : (p[metricOf(device)] as number | undefined);
          if (value === undefined) continue;
          const byTs = expected.get(m.device) ?? new Map<number, number>();
          byTs.set(p.ts as number, value);
          expected.set(m.device, byTs);
        }

      const stats = await waitFor('every source message processed', async () => {
        const s = await server.get<{
          pending: number;
          sources: Record<string, { received: number; rejected: number }>;
        }>('/api/ingest/stats');
        const received = Object.values(s.sources).reduce((n, c) => n + c.received, 0);
        return received >= sent && s.pending === 0 ? s : undefined;
      });
      expect(Object.values(stats.sources).map((c) => c.rejected)).toEqual([0, 0, 0, 0, 0]);
      expect(sent).toBe(bound.length * 12);

      for (const device of bound) {
        const metric = metricOf(device);
        const body = await server.get<{ t: number[]; series: { values: (number | null)[] }[] }>(
          `/api/series?device=${device.id}&metric=${metric}&from=${from}&to=${to + 1}&step=60000&agg=last`,
        );
        const got = new Map<number, number>();
        body.t.forEach((t, i) => {
          const v = body.series[0]?.values[i];
          if (v !== null && v !== undefined) got.set(t, v);
        });
        const want = expected.get(device.id) ?? new Map<number, number>();
        expect(got.size, `${device.id} (${device.source?.id})`).toBe(want.size);
        for (const [ts, value] of want)
          expect(got.get(Math.floor(ts / 60_000) * 60_000), `${device.id} at ${ts}`).toBeCloseTo(value, 6);
      }
    },
  );
});
