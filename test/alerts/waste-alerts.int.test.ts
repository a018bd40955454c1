/**
 * Through the real ingest: a fill wobbling ±1 % around the threshold gives one alert, which is
 * published retained on MQTT, acknowledged through the API and cleared when the bin is emptied;
 * a bin filling at a known rate is in the collection plan with its time to full within 10 %.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/src/contract/index.js';
import type { CollectionPlan } from '../../server/src/domains/waste/collection-plan.js';
import { brokerTargets, waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';

const INTERVAL = 900_000;
const HOUR = 3_600_000;

describe.each(brokerTargets())('waste alerts and the collection plan, against $name', (target) => {
  let server: ServerUnderTest;
  let client: mqtt.MqttClient;
  const retained = new Map<string, string>();

  const publish = async (device: string, payloads: Record<string, number>[]) => {
    for (const p of payloads)
      await client.publishAsync(`${server.topicRoot}/waste/${device}/telemetry`, JSON.stringify(p), {
        qos: 1,
      });
  };
  const stored = async (n: number) =>
    waitFor('the readings to be processed', async () => {
      const s = await server.get<{ received: number; pending: number }>('/api/ingest/stats');
      return s.received >= n && s.pending === 0 ? s : undefined;
    });

  beforeAll(async () => {
    server = await startServerUnderTest(target.url);
    client = await mqtt.connectAsync(server.runtime.mqttUrl, {
      clientId: `alerts-${server.topicRoot.split('/')[0]}`,
    });
    client.on('message', (topic, payload) => retained.set(topic, payload.toString()));
    await client.subscribeAsync(`${server.topicRoot}/alerts/#`, { qos: 1 });
  });
  afterAll(async () => {
    await client?.endAsync();
    await server?.runtime.stop();
  });

  it('a fill oscillating ±1 % around 85 % raises one alert: retained on MQTT, acknowledged, cleared when emptied', async () => {
    const start = Date.now() - 40 * INTERVAL;
    const wobble = Array.from({ length: 30 }, (_, i) => ({
      ts: start + i * INTERVAL,
      seq: i + 1,
      fill: i % 2 ? 0.86 : 0.84,
      battery_v: 3.6,
      temp_c: 10 + (i % 3) / 10,
    }));
    await publish('bin-white-bridge-02', wobble);
    await stored(30);
    const alerts = await server.get<Alert[]>('/api/alerts?rule=fill_high&site=white-bridge');
    expect(alerts).toHaveLength(1);
    const [alert] = alerts as [Alert];
    expect(alert).toMatchObject({
      state: 'open',
      device: 'bin-white-bridge-02',
      domain: 'waste',
      value: 0.86,
    });

    const topic = `${server.topicRoot}/alerts/waste/bin-white-bridge-02`;
    const onMqtt = await waitFor(
      'the retained alert on MQTT',
      async () => retained.get(topic) || undefined,
      5_000,
      20,
    );
    expect((JSON.parse(onMqtt) as { alerts: Alert[] }).alerts.map((a) => a.id)).toEqual([alert.id]);

    // An operator acknowledges; the record names the person and the account.
    const ack = await server.fetch(
      `/api/alerts/${alert.id}/ack`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'Tamar', comment: 'truck 3 goes at 14:00' }),
      },
      'operator',
    );
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({
      state: 'acknowledged',
      acknowledged_by: 'Tamar (test-operator)',
    });
    const again = await server.fetch(
      `/api/alerts/${alert.id}/ack`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'Tamar' }),
      },
      'operator',
    );
    expect(again.status).toBe(409);

    await publish('bin-white-bridge-02', [
      { ts: start + 31 * INTERVAL, seq: 32, fill: 0.04, battery_v: 3.6, temp_c: 10 },
    ]);
    await waitFor(
      'the cleared retained message',
      async () => (retained.get(topic) === '' ? true : undefined),
      5_000,
      20,
    );
    expect(await server.get<Alert>(`/api/alerts/${alert.id}`)).toMatchObject({
      state: 'resolved',
      resolved_at: start + 31 * INTERVAL,
      acknowledged_by: 'Tamar (test-operator)',
    });
  });

  it('puts a bin filling at a known rate in the collection plan, time to full within 10 %', async () => {
    const rate = 0.03; // per hour
    const start = Date.now() - 4 * HOUR;
    const fill0 = 0.4;
    const readings = Array.from({ length: 17 }, (_, i) => ({
      ts: start + i * INTERVAL,
      seq: i + 1,
      // ±1 % sensor noise, deterministic.
      fill: Math.round((fill0 + (rate * i * INTERVAL) / HOUR + 0.01 * Math.sin(i * 1.7)) * 1000) / 1000,
      battery_v: 3.6,
      temp_c: 11,
    }));
    await publish('bin-bagrati-02', readings);
    await stored(31 + 17);
    const now = Date.now();
    const truthHours = (start + ((1 - fill0) / rate) * HOUR - now) / HOUR;
    const plan = await server.get<CollectionPlan>('/api/waste/collection-plan?horizon=24h');
    const bin = plan.sites.flatMap((s) => s.bins).find((b) => b.device === 'bin-bagrati-02');
    expect(bin?.reason).toBe('predicted_full');
    expect(bin?.hours_to_full).toBeGreaterThan(truthHours * 0.9);
    expect(bin?.hours_to_full).toBeLessThan(truthHours * 1.1);
    expect(plan.sites.find((s) => s.site === 'bagrati')?.name.en).toBe('Bagrati Cathedral');

    // Outside a 6-hour horizon, in the CSV download.
    const short = await server.get<CollectionPlan>('/api/waste/collection-plan?horizon=6h');
    expect(short.sites.flatMap((s) => s.bins).some((b) => b.device === 'bin-bagrati-02')).toBe(false);
    const csv = await server.fetch('/api/waste/collection-plan?horizon=1d&format=csv', {}, 'analyst');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // Named by the city's date (Asia/Tbilisi, UTC+4), whatever the machine's zone.
    const cityDate = new Date(Date.now() + 4 * 3_600_000).toISOString().slice(0, 10);
    expect(csv.headers.get('content-disposition')).toContain(`collection-plan-${cityDate}.csv`);
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe(
      'site,site_name,device,fill_pct,hours_to_full,predicted_full_at,reason,last_reading',
    );
    expect(text).toContain('bagrati,Bagrati Cathedral,bin-bagrati-02,');
    expect((await server.fetch('/api/waste/collection-plan?horizon=soon')).status).toBe(400);
  });
});
