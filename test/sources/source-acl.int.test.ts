/**
 * External formats on the embedded broker with DEVICE_KEY set (docs/sources.md, Security): a
 * network server publishes as its source's identity `source.<id>`, only within the source's topic
 * filter; a Tasmota meter publishes as itself, only under its own topic; a device can never post a
 * network server's uplink, nor another meter's topics.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePassword } from '../../server/src/broker/device-credentials.js';
import { aclFile } from '../../server/src/broker/mosquitto-auth-files.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { brokerSourceRules } from '../../server/src/sources/source-acl.js';
import { startLiveFleet } from '../../simulators/src/live.js';
import { waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import {
  connectAs,
  DEVICE_KEY,
  publishDenied,
  refusedWith,
  SERVICE,
  sleep,
} from '../security/device-acl-helpers.js';
import { tasmotaSensor, ttnTopic, ttnUplink } from './fixtures.js';

const PORTFOLIO = 'config/examples/portfolio-sources.yaml';
const as = (username: string) => ({ username, password: devicePassword(DEVICE_KEY, username) });
const bin = { deviceId: 'kutaisi-bin-0042', devEui: '70B3D57ED0061B42', application: 'kutaisi-pilots@ttn' };
const uplink = (ts: number, level: number) =>
  JSON.stringify(
    ttnUplink({ ...bin, receivedAt: new Date(ts).toISOString(), decoded: { level_pct: level } }),
  );
const localTime = (ts: number) => new Date(ts + 4 * 3_600_000).toISOString().slice(0, 19); // Asia/Tbilisi, UTC+4

describe('source topics under the embedded broker ACL (DEVICE_KEY set)', () => {
  let server: ServerUnderTest;
  let url: string;
  const ts = Math.floor((Date.now() - 120_000) / 1000) * 1000;

  beforeAll(async () => {
    server = await startServerUnderTest(
      undefined,
      { DEVICE_KEY, MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password },
      PORTFOLIO,
    );
    url = server.runtime.mqttUrl;
    await waitFor('every source subscribed', async () =>
      (await server.get<{ status: string }>('/api/health')).status === 'ok' ? true : undefined,
    );
  });
  afterAll(async () => {
    await server?.runtime.stop();
  });

  it("stores an uplink the network server publishes as its source's identity", async () => {
    const ttn = await connectAs(url, as('source.ttn'));
    await ttn.publishAsync(ttnTopic(bin), uplink(ts, 35), { qos: 1 });
    await ttn.endAsync();
    await waitFor('the uplink stored', async () =>
      (await server.runtime.store.countRows('bin-nikea-02')) >= 1 ? true : undefined,
    );
  });

  it('refuses a source identity outside its filter, a wrong password and an unknown source', async () => {
    const ttn = await connectAs(url, as('source.ttn'));
    await publishDenied(ttn, [
      {
        topic: 'tele/school-nikea-meter/SENSOR',
        payload: JSON.stringify(tasmotaSensor(localTime(ts), 5, 5)),
      },
    ]);
    expect(
      await refusedWith(url, { username: 'source.ttn', password: as('source.chirpstack').password }),
    ).toBe(5);
    expect(await refusedWith(url, as('source.nowhere'))).toBe(5);
    await sleep(300);
    expect(await server.runtime.store.countRows('meter-school-nikea')).toBe(0);
  });

  it("never lets a device post a network server's uplink", async () => {
    const device = await connectAs(url, as('bin-nikea-02'));
    await publishDenied(device, [{ topic: ttnTopic(bin), payload: uplink(ts + 1000, 99) }]);
    await sleep(300);
    // Only the first test's uplink: one row (its decoded payload holds the level alone).
    expect(await server.runtime.store.countRows('bin-nikea-02')).toBe(1);
  });

  it('lets a Tasmota meter publish as itself under its own topic (with its LWT will), never under another', async () => {
    const meter = await mqtt.connectAsync(url, {
      ...as('meter-school-nikea'),
      protocolVersion: 4,
      reconnectPeriod: 0,
      will: { topic: 'tele/school-nikea-meter/LWT', payload: Buffer.from('Offline'), qos: 1, retain: true },
    });
    await meter.publishAsync('tele/school-nikea-meter/LWT', 'Online', { qos: 1, retain: true });
    await meter.publishAsync(
      'tele/school-nikea-meter/SENSOR',
      JSON.stringify(tasmotaSensor(localTime(ts), 812.5, 4200)),
      {
        qos: 1,
      },
    );
    await waitFor('the meter reading stored', async () =>
      (await server.runtime.store.countRows('meter-school-nikea')) === 2 ? true : undefined,
    );
    await publishDenied(meter, [
      {
        topic: 'tele/kindergarten-bagrati-meter/SENSOR',
        payload: JSON.stringify(tasmotaSensor(localTime(ts), 1, 1)),
      },
    ]);
    await sleep(300);
    expect(await server.runtime.store.countRows('meter-kindergarten-bagrati')).toBe(0);
  });

  it('runs the live fleet in every source format with per-device credentials: nothing denied, nothing rejected', async () => {
    type Stats = {
      sources: Record<string, { stored: number; rejected: number }>;
      broker_auth: { publishes_denied: number; connects_refused: { total: number } };
    };
    const before = await server.get<Stats>('/api/ingest/stats');
    const fleet = await startLiveFleet({
      registry: loadRegistry(PORTFOLIO),
      mqttUrl: url,
      deviceKey: DEVICE_KEY,
      topicRoot: server.topicRoot,
      format: 'sources',
      speed: 3000,
      seed: 3,
    });
    const stats = await waitFor('a reading from every source', async () => {
      const s = await server.get<Stats>('/api/ingest/stats');
      return Object.entries(s.sources).every(([id, c]) => c.stored >= (before.sources[id]?.stored ?? 0) + 2)
        ? s
        : undefined;
    });
    await fleet.stop();
    expect(Object.values(stats.sources).map((c) => c.rejected)).toEqual(
      Object.values(before.sources).map((c) => c.rejected),
    );
    expect(stats.broker_auth.publishes_denied).toBe(before.broker_auth.publishes_denied);
    expect(stats.broker_auth.connects_refused.total).toBe(before.broker_auth.connects_refused.total);
  });

  it('generates the same rules for Mosquitto: source users, their filters, devices under their own topics', () => {
    const registry = loadRegistry(PORTFOLIO);
    const acl = aclFile({
      topicRoot: 'kutaisi/v1',
      deviceKey: DEVICE_KEY,
      service: SERVICE,
      devices: registry.devices.values(),
      sources: brokerSourceRules(registry),
    });
    expect(acl).toContain('user source.ttn\ntopic write v3/+/devices/+/up');
    expect(acl).toMatch(/user kutaisi\.server\n(topic read .*\n)*topic read tele\/\+\/SENSOR/);
    expect(acl).toContain('user meter-school-nikea\n');
    expect(acl).toContain('topic write +/school-nikea-meter/#');
    expect(acl).toContain('topic read cmnd/school-nikea-meter/#');
  });
});
