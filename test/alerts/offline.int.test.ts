/**
 * Offline alerts driven by the simulators' fault injection, through the real ingest: three days
 * of the whole fleet with random offline periods, replayed over MQTT. Every injected period
 * (all are at least four intervals long) must give exactly one offline alert, opened three
 * intervals after the last reading before it and resolved by the first reading after it.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/src/contract/index.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { Fleet, type OutMessage } from '../../simulators/src/fleet.js';
import { brokerTargets, waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';

const registry = loadRegistry('config/portfolio.yaml');
const DAY = 86_400_000;

interface Period {
  device: string;
  /** Last published reading time before the period, and first one after (undefined: not back yet). */
  before: number | undefined;
  after: number | undefined;
  intervalMs: number;
}

function simulate(topicRoot: string, from: number, to: number) {
  const fleet = new Fleet({ registry, seed: 11, topicRoot, faults: { offline: 0.01 } });
  fleet.start(from);
  const messages: OutMessage[] = [];
  const lastTs = new Map<string, number>();
  const periods: Period[] = [];
  const open = new Map<string, Period>();
  while (fleet.peek() < to) {
    const out = fleet.step();
    const id = out.device.config.id;
    if (out.offlineUntil !== undefined) {
      const period = {
        device: id,
        before: lastTs.get(id),
        after: undefined,
        intervalMs: out.device.intervalMs,
      };
      periods.push(period);
      open.set(id, period);
    }
    for (const m of out.messages) {
      messages.push(m);
      if (m.kind !== 'telemetry' || typeof m.payload === 'string') continue;
      const ts = m.payload.ts as number;
      lastTs.set(id, ts);
      const period = open.get(id);
      if (period) {
        period.after = ts;
        open.delete(id);
      }
    }
  }
  return { messages, periods };
}

describe.each(brokerTargets())('offline alerts from injected faults, against $name', (target) => {
  let server: ServerUnderTest;
  let publisher: mqtt.MqttClient;
  let periods: Period[];

  beforeAll(async () => {
    server = await startServerUnderTest(target.url);
    publisher = await mqtt.connectAsync(server.runtime.mqttUrl, {
      clientId: `pub-${server.topicRoot.split('/')[0]}`,
    });
    const to = Date.now() - 3_600_000;
    const sim = simulate(server.topicRoot, to - 3 * DAY, to);
    periods = sim.periods;
    for (let i = 0; i < sim.messages.length; i += 500) {
      await Promise.all(
        sim.messages
          .slice(i, i + 500)
          .map((m) => publisher.publishAsync(m.topic, JSON.stringify(m.payload), { qos: 1 })),
      );
    }
    const telemetry = sim.messages.filter((m) => m.kind === 'telemetry').length;
    await waitFor('the replay to be stored', async () => {
      const s = await server.get<{ stored: number; pending: number; received: number }>('/api/ingest/stats');
      return s.received >= sim.messages.length && s.pending === 0 && s.stored > 0 ? s : undefined;
    });
    expect(telemetry).toBeGreaterThan(4000);
  }, 120_000);

  afterAll(async () => {
    await publisher?.endAsync();
    await server?.runtime.stop();
  });

  it('raises exactly one offline alert per injected offline period, resolved when the device returns', async () => {
    const returned = periods.filter((p) => p.before !== undefined && p.after !== undefined);
    expect(returned.length).toBeGreaterThanOrEqual(20);
    const alerts = await server.get<Alert[]>('/api/alerts?rule=offline&limit=5000');
    const expected = returned
      .map((p) => ({
        device: p.device,
        state: 'resolved',
        opened_at: (p.before as number) + 3 * p.intervalMs,
        resolved_at: p.after,
      }))
      .sort((a, b) => a.device.localeCompare(b.device) || a.opened_at - b.opened_at);
    const actual = alerts
      .map((a) => ({ device: a.device, state: a.state, opened_at: a.opened_at, resolved_at: a.resolved_at }))
      .sort((a, b) => a.device.localeCompare(b.device) || a.opened_at - b.opened_at);
    expect(actual).toEqual(expected);
  });

  it('then, once the feed falls silent, raises one open offline alert per device, outages included', async () => {
    const engine = server.runtime.alerts.engine;
    engine.checkSilence(Date.now() + 2 * 3_600_000);
    engine.checkSilence(Date.now() + 3 * 3_600_000);
    const open = await server.get<Alert[]>('/api/alerts?rule=offline&state=open&limit=5000');
    expect(open.map((a) => a.device).sort()).toEqual([...registry.devices.keys()].sort());
  });
});
