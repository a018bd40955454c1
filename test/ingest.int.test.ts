/**
 * Publish → validate → store → read back, through a real MQTT client against the
 * embedded aedes broker and, when MQTT_URL is set, a real Mosquitto.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerTargets, waitFor } from './helpers/brokers.js';
import { malformed, validWaste, WASTE_DEVICES } from './helpers/readings.js';
import { startServerUnderTest, type ServerUnderTest } from './helpers/server-under-test.js';

interface Stats {
  received: number;
  stored: number;
  pending: number;
  rejected: { total: number; by_reason: Record<string, number> };
}

describe.each(brokerTargets())('ingest against $name', (target) => {
  let server: ServerUnderTest;
  let publisher: mqtt.MqttClient;

  beforeAll(async () => {
    server = await startServerUnderTest(target.url);
    publisher = await mqtt.connectAsync(server.runtime.mqttUrl, {
      clientId: `pub-${server.topicRoot.split('/')[0]}`,
    });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await server?.runtime.stop();
  });

  it('stores a published reading and returns it from /api/series within 2 s', async () => {
    const ts = Date.now() - 500;
    await publisher.publishAsync(
      `${server.topicRoot}/waste/bin-bagrati-02/telemetry`,
      JSON.stringify({ ts, seq: 1, fill: 0.77, battery_v: 3.5, temp_c: 8 }),
      { qos: 1 },
    );
    const started = Date.now();
    const values = await waitFor(
      'the reading in /api/series',
      async () => {
        const body = await server.get<{ series: { values: (number | null)[] }[] }>(
          `/api/series?device=bin-bagrati-02&metric=fill&from=${ts - 60_000}&to=${ts + 60_000}&step=60000&agg=last`,
        );
        const found = body.series[0]?.values.filter((v) => v !== null);
        return found && found.length > 0 ? found : undefined;
      },
      2_000,
      25,
    );
    expect(values).toEqual([0.77]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps 1,000 good readings and rejects 1,000 bad ones of 13 kinds, with a reason each', async () => {
    const before = await server.get<Stats>('/api/ingest/stats');
    const now = Date.now();
    const base = now - 3_000_000;
    const expectedReasons: Record<string, number> = {};
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const good = validWaste(server.topicRoot, i, base);
      const bad = malformed(server.topicRoot, i, now);
      expectedReasons[bad.reason] = (expectedReasons[bad.reason] ?? 0) + 1;
      sends.push(publisher.publishAsync(good.topic, good.payload, { qos: 1 }));
      sends.push(publisher.publishAsync(bad.topic, bad.payload, { qos: 1 }));
    }
    await Promise.all(sends);

    const stats = await waitFor('all 2,000 messages to be processed', async () => {
      const s = await server.get<Stats>('/api/ingest/stats');
      return s.received - before.received >= 2000 && s.pending === 0 ? s : undefined;
    });
    expect(stats.received - before.received).toBe(2000);
    expect(stats.stored - before.stored).toBe(1000);
    expect(stats.rejected.total - before.rejected.total).toBe(1000);
    expect(Object.keys(expectedReasons).length).toBeGreaterThanOrEqual(10);
    for (const [reason, count] of Object.entries(expectedReasons)) {
      expect(stats.rejected.by_reason[reason] ?? 0, reason).toBe(
        count + (before.rejected.by_reason[reason] ?? 0),
      );
    }

    const letters = await server.get<{ reason: string; topic: string; payload_head: string }[]>(
      '/api/ingest/dead-letters?limit=1000',
    );
    expect(letters).toHaveLength(1000);
    expect(letters.every((l) => l.reason in expectedReasons && l.payload_head.length <= 512)).toBe(true);

    let rows = 0;
    for (const device of WASTE_DEVICES) rows += await server.runtime.store.countRows(device);
    // 1,000 readings × 3 metrics (fill, battery_v, temp_c), plus the one reading of the previous test on bin-bagrati-02.
    expect(rows).toBe(1000 * 3 + 3);
    expect((await server.get<{ status: string }>('/api/health')).status).toBe('ok');
  });
});
