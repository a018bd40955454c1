import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import {
  DEFAULT_TOPIC_ROOT,
  validateStatus,
  validateTelemetry,
  parseTopic,
} from '../../server/src/contract/index.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { startLiveFleet } from './live.js';
import { connectBroker } from './mqtt-io.js';
import { testBroker, type TestBroker } from './test-broker.js';

let broker: TestBroker | undefined;
let skip = '';
const registry = loadRegistry(DEFAULT_PORTFOLIO);
const ROOT = `test-${process.pid}/v1`;

beforeAll(async () => {
  const found = await testBroker();
  if ('skip' in found) skip = found.skip;
  else broker = found;
  if (skip) console.warn(`SKIPPING live-mode tests: ${skip}`);
});

afterAll(async () => {
  await broker?.close();
});

interface Received {
  topic: string;
  payload: unknown;
  retain: boolean;
  at: number;
}

async function listen(url: string): Promise<{ client: MqttClient; messages: Received[] }> {
  const client = await connectBroker(
    { url },
    { clientId: `live-test-${process.pid}-${Math.random().toString(36).slice(2)}` },
  );
  const messages: Received[] = [];
  client.on('message', (topic, buffer, packet) => {
    let payload: unknown = buffer.toString();
    try {
      payload = JSON.parse(buffer.toString());
    } catch {
      // malformed on purpose
    }
    messages.push({ topic, payload, retain: packet.retain, at: Date.now() });
  });
  await client.subscribeAsync(`${ROOT}/#`, { qos: 1 });
  return { client, messages };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startLiveFleet', () => {
  it('publishes online status, wall-clock telemetry that passes the contract, then offline on stop', async (ctx) => {
    if (!broker) {
      console.warn(`SKIPPED live-mode test: ${skip}`);
      ctx.skip();
      return;
    }
    const { client, messages } = await listen(broker.url);
    const lines: string[] = [];
    const live = await startLiveFleet({
      registry,
      mqttUrl: broker.url,
      topicRoot: ROOT,
      speed: 1800,
      seed: 3,
      log: (l) => lines.push(l),
    });
    await sleep(1500);
    await live.stop();
    await sleep(200);
    await client.endAsync();

    const devices = registry.portfolio.devices.map((d) => d.id);
    const status = (state: string) =>
      new Set(
        messages
          .filter((m) => m.topic.endsWith('/status') && (m.payload as { state?: string }).state === state)
          .map((m) => m.topic.split('/')[3]),
      );
    expect([...status('online')].sort()).toEqual([...devices].sort());
    expect([...status('offline')].sort()).toEqual([...devices].sort());
    const telemetry = messages.filter((m) => m.topic.endsWith('/telemetry'));
    // 900 s at ×1800 is one reading per device every 0.5 s: at least the immediate one plus two more each.
    expect(telemetry.length).toBeGreaterThanOrEqual(devices.length * 3);
    expect(live.published()).toBeGreaterThanOrEqual(telemetry.length);
    for (const m of telemetry) {
      const topic = parseTopic(ROOT, m.topic);
      if (!topic.ok) throw new Error(topic.reason);
      const check = validateTelemetry(topic.value.domain, m.payload);
      expect(check.ok).toBe(true);
      const ts = (m.payload as { ts: number }).ts;
      expect(ts).toBeLessThanOrEqual(m.at);
      expect(m.at - ts).toBeLessThan(5000);
    }
    expect(lines.join('\n')).toMatch(/23 devices/);
    expect(DEFAULT_TOPIC_ROOT).not.toBe(ROOT);
  }, 20_000);

  it('announces an offline fault through the retained last will {"state":"lost"}', async (ctx) => {
    if (!broker) {
      console.warn(`SKIPPED live-mode test: ${skip}`);
      ctx.skip();
      return;
    }
    const { client, messages } = await listen(broker.url);
    const live = await startLiveFleet({
      registry,
      mqttUrl: broker.url,
      topicRoot: ROOT,
      speed: 9000,
      seed: 4,
      faults: { offline: 0.2 },
    });
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && !messages.some((m) => (m.payload as { state?: string }).state === 'lost'))
      await sleep(50);
    await live.stop();
    await client.endAsync();
    const lost = messages.find((m) => (m.payload as { state?: string }).state === 'lost');
    expect(lost, 'a last will was published').toBeDefined();
    expect(validateStatus(lost?.payload).ok).toBe(true);
  }, 20_000);
});
