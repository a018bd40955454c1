/**
 * Scale-out: two server instances in one MQTT share group against one Mosquitto (MQTT_URL) and
 * one InfluxDB database (INFLUX_URL). The broker splits 2,000 QoS 1 readings of every device of
 * the portfolio between them; each reading must be ingested by exactly one instance and stored
 * once, and a dashboard socket on either instance must show every device's newest reading,
 * whichever instance ingested it, and aggregates that count each reading once. Alerts: both
 * instances hold the same alert, MQTT gets it from one of them, an acknowledgement on one shows
 * on the other. Sessions: a session signed in on one instance works on the other (HTTP and the
 * live socket, no load-balancer affinity), and signing out on one ends it on both. Scale-in: once
 * one instance stops, the other takes every new reading.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberClientId } from '../../server/src/cluster/cluster-settings.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { DeviceConfig } from '../../server/src/config/portfolio-schema.js';
import type { AggregateEntity, Reading } from '../../server/src/contract/index.js';
import { LIVE_CLOSE } from '../../server/src/contract/index.js';
import { uniqueName, waitFor, warnOnce } from '../helpers/brokers.js';
import { influxql } from '../helpers/influxd.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { closed, openLive } from '../security/ws-client.js';
import { openLiveView, type LiveView } from './live-socket.js';
import { expectedView, planReadings } from './two-instances-data.js';

const mqttUrl = process.env.MQTT_URL;
const influxUrl = process.env.INFLUX_URL;
if (!mqttUrl)
  warnOnce('MQTT_URL is not set: skipping the two-instance scale-out test (it needs Mosquitto; CI sets it).');
if (!influxUrl)
  warnOnce(
    'INFLUX_URL is not set: skipping the two-instance scale-out test (the instances share one InfluxDB; CI sets it).',
  );

const TOTAL = 2_000;
const ALERT_BIN = 'bin-nikea-01';
/** Every instance of a cluster signs and checks sessions with the same secret. */
const SESSION_SECRET = 'two-instances-test-session-secret-0123456789';

describe.skipIf(!mqttUrl || !influxUrl)('scale-out: two instances, one Mosquitto, one InfluxDB', () => {
  const registry = loadRegistry('config/portfolio.yaml');
  const devices: DeviceConfig[] = [...registry.devices.values()];
  const topicRoot = `${uniqueName('scale')}/v1`;
  const database = uniqueName('kutaisi_scaleout').replace(/-/g, '_');
  const group = uniqueName('ingest');
  const baseClientId = uniqueName('scale');
  const ids = { a: uniqueName('a'), b: uniqueName('b') };
  const ingested = { a: [] as Reading[], b: [] as Reading[] };
  let a: ServerUnderTest;
  let b: ServerUnderTest;
  let views: { a: LiveView; b: LiveView };
  let publisher: mqtt.MqttClient;
  const alertMessages: string[] = [];

  const influxEnv = (): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (key.startsWith('INFLUX_') && value !== undefined) env[key] = value;
    // A database (v1) or bucket (v2) of its own: nothing else writes there.
    return { ...env, INFLUX_DATABASE: database, INFLUX_BUCKET: database };
  };
  const start = async (instance: 'a' | 'b') => {
    const server = await startServerUnderTest(mqttUrl, {
      ...influxEnv(),
      MQTT_TOPIC_ROOT: topicRoot,
      MQTT_CLIENT_ID: baseClientId,
      INGEST_SHARE_GROUP: group,
      INSTANCE_ID: ids[instance],
      SESSION_SECRET,
    });
    // The ingest bus carries only what this instance took from the broker (peers' readings join the live bus).
    server.runtime.bus.on('reading', (reading) => ingested[instance].push(reading));
    return server;
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([start('a'), start('b')]);
    // One viewer, signed in on a, watches both instances: no load-balancer affinity needed.
    const viewer = await a.tokenFor('viewer');
    await waitFor('the viewer created on a to reach b', async () =>
      b.runtime.app ? await accepted(b, viewer) : undefined,
    );
    views = { a: await dashboardOn(a, viewer), b: await dashboardOn(b, viewer) };
    publisher = await mqtt.connectAsync(mqttUrl as string, { clientId: uniqueName('scale-pub') });
    publisher.on('message', (topic, payload, packet) => {
      if (!packet.retain) alertMessages.push(`${topic} ${payload.toString().slice(0, 60)}`);
    });
    await publisher.subscribeAsync(`${topicRoot}/alerts/#`, { qos: 1 });
    // One leader, elected from the retained presence messages, before anything can raise an alert.
    await waitFor('exactly one leader', async () =>
      a.runtime.cluster?.isLeader !== b.runtime.cluster?.isLeader ? true : undefined,
    ).catch((error: unknown) => {
      console.log(
        `membership: a ${JSON.stringify(a.runtime.cluster?.stats())}, b ${JSON.stringify(b.runtime.cluster?.stats())}`,
      );
      throw error;
    });
  }, 60_000);

  afterAll(async () => {
    await views?.a.close();
    await views?.b.close();
    await Promise.all([a?.runtime.stop(), b?.runtime.stop()]);
    if (publisher) {
      await publisher.publishAsync(`${topicRoot}/alerts/waste/${ALERT_BIN}`, '', { qos: 1, retain: true });
      await publisher.endAsync();
    }
    // The shared users and sign-outs are retained messages: clear this run's.
    await clearRetained(mqttUrl as string, `${topicRoot}/cluster/auth/#`);
    // The instances' persistent sessions would otherwise stay in the shared Mosquitto.
    for (const id of [ids.a, ids.b]) {
      const client = await mqtt.connectAsync(mqttUrl as string, {
        clientId: memberClientId(baseClientId, id),
        clean: true,
      });
      await client.endAsync();
    }
    if (process.env.INFLUX_API === 'v1')
      await fetch(`${influxUrl}/query`, {
        method: 'POST',
        body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }),
      }).catch(() => undefined);
  });

  it(
    `stores each of ${TOTAL} readings once, split between the instances, and shows all of them live on both`,
    { timeout: 120_000 },
    async () => {
      const started = Date.now();
      const { readings: plan, messages } = planReadings(devices, topicRoot, TOTAL, Date.now());
      // About 1,000 readings/s: a device's consecutive readings land on alternating instances a few ms apart.
      for (let i = 0; i < messages.length; i += 100) {
        await Promise.all(
          messages.slice(i, i + 100).map((m) => publisher.publishAsync(m.topic, m.payload, { qos: 1 })),
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const rowsExpected = plan.reduce((sum, p) => sum + p.rows, 0);
      const rows = await waitFor(
        `${rowsExpected} metric rows in InfluxDB`,
        async () => {
          const n = await a.runtime.store.countRows();
          return n >= rowsExpected ? n : undefined;
        },
        60_000,
        250,
      );
      const keysA = new Set(ingested.a.map((r) => `${r.device}|${r.ts}`));
      const keysB = new Set(ingested.b.map((r) => `${r.device}|${r.ts}`));
      const both = [...keysA].filter((k) => keysB.has(k)).length;
      const statsA = await a.get<{ stored: number; duplicates_ignored: number }>('/api/ingest/stats');
      const statsB = await b.get<{ stored: number; duplicates_ignored: number }>('/api/ingest/stats');
      const fills =
        process.env.INFLUX_API === 'v1'
          ? Number(
              (await influxql(influxUrl as string, database, 'SELECT COUNT("fill") FROM "waste"'))[0]
                ?.values[0]?.[1],
            )
          : undefined;

      const expected = expectedView(plan);
      const newestFrom = (device: string) => {
        const ts = expected.devices.get(device)?.ts;
        return keysA.has(`${device}|${ts}`) ? 'a' : keysB.has(`${device}|${ts}`) ? 'b' : undefined;
      };
      for (const [name, view] of Object.entries(views)) {
        await waitFor(`${name}'s dashboard socket to show every device's newest reading`, async () => {
          for (const [device, want] of expected.devices) {
            const entity = view.entities.get(`device:${device}`);
            if (entity?.scope !== 'device' || entity.lastSeen !== want.ts) return undefined;
          }
          return true;
        });
      }
      const fromA = devices.filter((d) => newestFrom(d.id) === 'a').map((d) => d.id);
      const fromB = devices.filter((d) => newestFrom(d.id) === 'b').map((d) => d.id);
      console.log(
        `scale-out: published ${plan.length} readings of ${devices.length} devices; ingested by ${ids.a} ${ingested.a.length}, ` +
          `by ${ids.b} ${ingested.b.length}, by both ${both}; stored ${statsA.stored} + ${statsB.stored}, ` +
          `duplicates ignored ${statsA.duplicates_ignored + statsB.duplicates_ignored}; InfluxDB rows ${rows} of ${rowsExpected}` +
          `${fills === undefined ? '' : `, waste fills ${fills}`}; newest reading per device from a: ${fromA.length}, from b: ${fromB.length}; ` +
          `exchange a→b ${JSON.stringify(a.runtime.cluster?.stats().sent)}, b→a ${JSON.stringify(b.runtime.cluster?.stats().sent)}; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );

      // Every reading ingested by exactly one instance and stored once, both instances doing part of it.
      expect(ingested.a.length + ingested.b.length).toBe(plan.length);
      expect(both).toBe(0);
      expect(keysA.size + keysB.size).toBe(plan.length);
      expect(ingested.a.length).toBeGreaterThan(plan.length / 4);
      expect(ingested.b.length).toBeGreaterThan(plan.length / 4);
      expect(statsA.stored + statsB.stored).toBe(plan.length);
      expect(rows).toBe(rowsExpected);
      if (fills !== undefined) expect(fills).toBe(expected.fills);
      expect(a.runtime.cluster?.stats().rejected).toBe(0);
      expect(b.runtime.cluster?.stats().rejected).toBe(0);

      // Each socket shows devices whose newest reading the other instance ingested, with its values.
      expect(fromA.length).toBeGreaterThan(0);
      expect(fromB.length).toBeGreaterThan(0);
      for (const view of [views.a, views.b]) {
        for (const [device, want] of expected.devices) {
          const entity = view.entities.get(`device:${device}`);
          expect(entity?.scope === 'device' ? entity.values : undefined).toMatchObject(want.metrics);
        }
        // Aggregates over devices fed by both halves: each reading counted once.
        const waste = pilotEntity(view, 'smart-waste', 'waste').indicators;
        expect(waste.reporting).toBe(expected.waste.reporting);
        expect(waste.meanFill).toBeCloseTo(expected.waste.meanFill, 9);
        expect(pilotEntity(view, 'school-energy', 'energy').indicators.kw).toBeCloseTo(expected.energyKw, 9);
        const mobility = pilotEntity(view, 'active-mobility', 'mobility').indicators;
        expect(mobility.today).toEqual(expected.mobilityToday(mobility.dayStart));
      }
    },
  );

  it('opens an alert once in the cluster: the same alert on both, delivered to MQTT by the leader, acknowledged on both', async () => {
    const leader = a.runtime.cluster?.isLeader ? a : b;
    const follower = leader === a ? b : a;
    const before = alertMessages.length;
    const ts = Date.now() - 1_000;
    await publisher.publishAsync(
      `${topicRoot}/waste/${ALERT_BIN}/telemetry`,
      JSON.stringify({ ts, seq: 100_000, fill: 0.93, battery_v: 3.6, temp_c: 10 }),
      { qos: 1 },
    );
    const open = (server: ServerUnderTest) => server.runtime.alerts.book.list({ state: 'active' });
    await waitFor('the fill_high alert on both instances', async () =>
      open(a).length > 0 && open(b).length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const [onA, onB] = [open(a), open(b)];
    console.log(
      `scale-out alerts: on a ${onA.map((x) => x.id).join(', ')}; on b ${onB.map((x) => x.id).join(', ')}; MQTT messages ${alertMessages.length - before}`,
    );
    expect(onA.map((x) => `${x.id} ${x.rule} ${x.state}`)).toEqual([
      `${ALERT_BIN}.fill_high.${ts.toString(36)} fill_high open`,
    ]);
    expect(onB.map((x) => x.id)).toEqual(onA.map((x) => x.id));
    expect(alertMessages.slice(before)).toHaveLength(1);

    // Acknowledged where the operator's browser happens to be connected: the follower here.
    const id = onA[0]?.id as string;
    const response = await follower.fetch(
      `/api/alerts/${encodeURIComponent(id)}/ack`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"comment":"crew sent"}' },
      'operator',
    );
    expect(response.status).toBe(200);
    const acknowledged = (await response.json()) as { acknowledged_by: string; comment: string };
    await waitFor('the acknowledgement on the leader', async () =>
      leader.runtime.alerts.book.get(id)?.state === 'acknowledged' ? true : undefined,
    );
    expect(leader.runtime.alerts.book.get(id)).toMatchObject({
      acknowledged_by: acknowledged.acknowledged_by,
      comment: 'crew sent',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(alertMessages.slice(before)).toHaveLength(2);
  });

  it('accepts on one instance a session signed in on the other (HTTP and /ws), and ends it on both at sign-out', async () => {
    const login = await fetch(`${a.runtime.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'test-viewer', password: 'viewer-test-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^kutaisi_session=s1~/);

    const me = await fetch(`${b.runtime.httpUrl}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'test-viewer', role: 'viewer' });
    expect((await fetch(`${b.runtime.httpUrl}/api/devices`, { headers: { cookie } })).status).toBe(200);
    const live = await openLive(b.runtime.httpUrl, { cookie });
    if (live.kind !== 'snapshot') throw new Error(`b refused the socket: HTTP ${live.status}`);
    expect(live.entities.length).toBeGreaterThan(0);
    const socketClosed = closed(live.socket);

    const started = Date.now();
    expect(
      (await fetch(`${a.runtime.httpUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status,
    ).toBe(204);
    expect((await fetch(`${a.runtime.httpUrl}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    const status = await waitFor('b to refuse the signed-out cookie', async () => {
      const response = await fetch(`${b.runtime.httpUrl}/api/auth/me`, { headers: { cookie } });
      return response.status === 401 ? response.status : undefined;
    });
    expect(status).toBe(401);
    expect(await socketClosed).toBe(LIVE_CLOSE.sessionEnded);
    const refused = await openLive(b.runtime.httpUrl, { cookie });
    expect(refused).toMatchObject({ kind: 'refused', status: 401 });
    console.log(
      `scale-out sessions: sign-out on ${ids.a} refused on ${ids.b} after ${Date.now() - started} ms; ` +
        `auth exchange a ${JSON.stringify(a.runtime.cluster?.stats().auth)}, b ${JSON.stringify(b.runtime.cluster?.stats().auth)}`,
    );
  });

  it('hands the share of a stopping instance to the other instead of queueing it', async () => {
    // Mosquitto keeps a disconnected member of a share group in the rotation; b unsubscribes as it stops.
    await b.runtime.stop();
    const before = { a: ingested.a.length, b: ingested.b.length };
    const base = Date.now() - 30_000;
    const bins = devices.filter((d) => d.domain === 'waste');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const bin = bins[i % bins.length] as DeviceConfig;
        const payload = { ts: base + i * 10, seq: 200_000 + i, fill: 0.3, battery_v: 3.6, temp_c: 10 };
        return publisher.publishAsync(`${topicRoot}/waste/${bin.id}/telemetry`, JSON.stringify(payload), {
          qos: 1,
        });
      }),
    );
    const taken = await waitFor(
      'the 200 readings on the running instance',
      async () => (ingested.a.length - before.a >= 200 ? ingested.a.length - before.a : undefined),
      15_000,
    ).catch(() => ingested.a.length - before.a);
    console.log(`scale-out, one instance stopped: 200 published, ${taken} taken by ${ids.a}`);
    expect(taken).toBe(200);
    expect(ingested.b.length).toBe(before.b);
  });
});

function pilotEntity<D extends AggregateEntity['domain']>(
  view: LiveView,
  pilot: string,
  domain: D,
): Extract<AggregateEntity, { domain: D }> {
  const entity = view.entities.get(`pilot:${pilot}`);
  if (entity?.scope !== 'pilot' || entity.domain !== domain)
    throw new Error(`no ${domain} entity pilot:${pilot}`);
  return entity as Extract<AggregateEntity, { domain: D }>;
}

/** A dashboard's socket on `server`, with a session from whichever instance issued it. */
async function dashboardOn(server: ServerUnderTest, token: string): Promise<LiveView> {
  return openLiveView(server.runtime.httpUrl, { authorization: `Bearer ${token}` });
}

async function accepted(server: ServerUnderTest, token: string): Promise<true | undefined> {
  const response = await fetch(`${server.runtime.httpUrl}/api/auth/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status === 200 ? true : undefined;
}

/** Clears the retained messages under `filter` (what a subscriber gets at once on subscribing). */
async function clearRetained(url: string, filter: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId: uniqueName('scale-clean') });
  const topics = new Set<string>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) topics.add(topic);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const topic of topics) await client.publishAsync(topic, '', { qos: 1, retain: true });
  await client.endAsync();
}
