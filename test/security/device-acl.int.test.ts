/**
 * A device credential cannot publish to another device's topics: against the embedded aedes
 * broker with DEVICE_KEY set, and against a real Mosquitto configured from the repository's
 * template with the password and ACL files `npm run mosquitto:auth` generates. In both, the
 * server's ingest (the service identity) stores A's own reading and never sees A's message on
 * B's topic.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/src/config/config-error.js';
import { uniqueName, warnOnce } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import {
  A,
  B,
  connectAs,
  credentialsOf,
  DEVICE_KEY,
  Monitor,
  publishDenied,
  refusedWith,
  subackCodes,
  rows,
  SERVICE,
  sleep,
  topicOf,
  waitForClose,
  waitForRows,
  wasteReading,
} from './device-acl-helpers.js';
import {
  generateAuthFiles,
  hasBinary,
  startAclMosquitto,
  type AclMosquitto,
} from './device-acl-mosquitto.js';

const NOT_AUTHORIZED = 5;

/** Everything each broker must hold to; `denied` is how the broker answers a publish outside the ACL. */
function aclSuite(context: () => { server: ServerUnderTest; root: string; url: string; monitor: Monitor }) {
  let ts = Date.now() - 600_000;
  const next = () => (ts += 1000);
  /** `device:seq` of every reading the ingest put on the bus. */
  const ingested: string[] = [];

  beforeAll(() => {
    context().server.runtime.bus.on('reading', (reading) =>
      ingested.push(`${reading.device}:${reading.seq}`),
    );
  });

  it("stores a device's reading published with its own credential on its own topic", async () => {
    const { server, root } = context();
    const client = await connectAs(context().url, credentialsOf(A));
    await client.publishAsync(topicOf(root, A), wasteReading(next(), 1), { qos: 1 });
    await client.endAsync();
    await waitForRows(server.runtime.store, A, 3);
  });

  it('refuses a wrong password, an unknown device and a missing password with CONNACK 5', async () => {
    const { url } = context();
    expect(await refusedWith(url, { username: A, password: credentialsOf(B).password })).toBe(NOT_AUTHORIZED);
    expect(await refusedWith(url, { username: A, password: 'guess' })).toBe(NOT_AUTHORIZED);
    expect(await refusedWith(url, { username: 'bin-not-registered', password: 'whatever' })).toBe(
      NOT_AUTHORIZED,
    );
    expect(await refusedWith(url, { username: A })).toBe(NOT_AUTHORIZED);
    expect(await refusedWith(url, {})).toBe(NOT_AUTHORIZED);
    expect(await refusedWith(url, { username: SERVICE.username, password: 'not-the-service-password' })).toBe(
      NOT_AUTHORIZED,
    );
  });

  it("never lets a device's subscription to another device's topics deliver anything", async () => {
    const { server, root, url, monitor } = context();
    const spy = await connectAs(url, credentialsOf(A));
    const received: string[] = [];
    spy.on('message', (topic) => received.push(topic));
    const granted = await subackCodes(spy, [
      `${root}/waste/${B}/#`,
      `${root}/#`,
      '#',
      `$share/spy/${root}/#`,
    ]);
    const before = await rows(server.runtime.store, B);
    const device = await connectAs(url, credentialsOf(B));
    await device.publishAsync(topicOf(root, B), wasteReading(next(), 1), { qos: 1 });
    await device.endAsync();
    await waitForRows(server.runtime.store, B, before + 3);
    expect(monitor.saw(topicOf(root, B))).toBe(true);
    await sleep(300);
    expect(received).toEqual([]);
    await spy.endAsync();
    // aedes refuses at subscribe time (SUBACK 0x80, checked below); Mosquitto 2.0 grants and checks at delivery.
    expect(granted).toHaveLength(4);
  });

  it("keeps a device's publish to another device's topic away from the ingest", async () => {
    const { server, root, url, monitor } = context();
    const rowsOfB = await rows(server.runtime.store, B);
    const rowsOfA = await rows(server.runtime.store, A);
    const intruder = await connectAs(url, credentialsOf(A));
    await publishDenied(intruder, [
      { topic: topicOf(root, B), payload: wasteReading(next(), 99) },
      { topic: topicOf(root, B, 'status'), payload: '{"state":"offline"}', retain: true },
      { topic: `${root}/alerts/waste/${B}`, payload: '{"intruder":true}' },
    ]);
    // Then a reading of A's own, on a fresh connection: whatever the broker did with the above is done.
    const marker = await connectAs(url, credentialsOf(A));
    await marker.publishAsync(topicOf(root, A), wasteReading(next(), 2), { qos: 1 });
    await marker.endAsync();
    await waitForRows(server.runtime.store, A, rowsOfA + 3);
    expect(monitor.saw(topicOf(root, A))).toBe(true);
    expect(await rows(server.runtime.store, B)).toBe(rowsOfB);
    expect(monitor.messages.filter((m) => /"seq":99\b|"offline"|"intruder"/.test(m.payload))).toEqual([]);
    expect(ingested).not.toContain(`${B}:99`);
    expect(ingested).toContain(`${A}:2`);
  });

  it("never delivers a last will on another device's topic", async () => {
    const { server, root, url, monitor } = context();
    const rowsOfA = await rows(server.runtime.store, A);
    const will = {
      topic: topicOf(root, B, 'status'),
      payload: Buffer.from('{"state":"lost"}'),
      qos: 1 as const,
    };
    try {
      // aedes refuses the CONNECT; if a broker accepts it, an abrupt drop must still not publish the will.
      const client = await connectAs(url, credentialsOf(A), { will, clientId: uniqueName('will') });
      client.stream.destroy();
      await waitForClose(client);
    } catch (error) {
      expect((error as { code?: number }).code).toBe(NOT_AUTHORIZED);
    }
    const marker = await connectAs(url, credentialsOf(A));
    await marker.publishAsync(topicOf(root, A), wasteReading(next(), 3), { qos: 1 });
    await marker.endAsync();
    await waitForRows(server.runtime.store, A, rowsOfA + 3);
    await sleep(200);
    expect(monitor.saw(topicOf(root, B, 'status'))).toBe(false);
  });

  it('does not let the server identity publish device readings', async () => {
    const { server, root, url } = context();
    const rowsOfA = await rows(server.runtime.store, A);
    const service = await connectAs(url, SERVICE, { clientId: uniqueName('svc') });
    await publishDenied(service, [{ topic: topicOf(root, A), payload: wasteReading(next(), 44) }]);
    const marker = await connectAs(url, credentialsOf(B));
    const rowsOfB = await rows(server.runtime.store, B);
    await marker.publishAsync(topicOf(root, B), wasteReading(next(), 5), { qos: 1 });
    await marker.endAsync();
    await waitForRows(server.runtime.store, B, rowsOfB + 3);
    expect(await rows(server.runtime.store, A)).toBe(rowsOfA);
    expect(ingested).not.toContain(`${A}:44`);
  });
}

describe('device ACLs on the embedded aedes broker (DEVICE_KEY set)', () => {
  let server: ServerUnderTest;
  let monitor: Monitor;
  const ingestClientId = uniqueName('ingest');
  beforeAll(async () => {
    server = await startServerUnderTest(undefined, {
      DEVICE_KEY,
      MQTT_PASSWORD: SERVICE.password,
      MQTT_CLIENT_ID: ingestClientId,
    });
    monitor = await Monitor.start(server.runtime.mqttUrl, server.topicRoot);
  }, 60_000);
  afterAll(async () => {
    await monitor?.stop();
    await server?.runtime.stop();
  });
  const context = () => ({ server, root: server.topicRoot, url: server.runtime.mqttUrl, monitor });

  aclSuite(context);

  it("answers a subscription to another device's topics with SUBACK 0x80 and its own subtree with a grant", async () => {
    const client = await connectAs(server.runtime.mqttUrl, credentialsOf(A));
    const granted = await subackCodes(client, [
      `${server.topicRoot}/waste/${B}/#`,
      `${server.topicRoot}/waste/${A}/#`,
      `$share/g/${server.topicRoot}/waste/${A}/#`,
    ]);
    await client.endAsync();
    expect(granted).toEqual([0x80, 1, 0x80]);
  });

  it("refuses a device that takes the ingest's client id; the ingest stays connected", async () => {
    for (const clientId of [ingestClientId, `${ingestClientId}-alerts`])
      expect(await refusedWith(server.runtime.mqttUrl, credentialsOf(A), { clientId })).toBe(NOT_AUTHORIZED);
    await sleep(100);
    expect(server.runtime.ingest.connected).toBe(true);
  });

  it('counts every refusal by reason', () => {
    const auth = server.runtime.brokerAuth;
    expect(auth?.enforced).toBe(true);
    expect(auth?.connects_refused.by_reason).toMatchObject({
      bad_password: 3,
      unknown_user: 1,
      no_credentials: 2,
      will_denied: 1,
      client_id_reserved: 2,
    });
    expect(auth?.connects_refused.total).toBe(9);
    // A's publish to B (the connection closes at the first) and the server identity's device reading.
    // (aedes closes the connection at the first denied publish; packets already read may still be judged.)
    expect(auth?.publishes_denied).toBeGreaterThanOrEqual(2);
    expect(auth?.publishes_denied).toBeLessThanOrEqual(4);
    // The spy's four filters, B's subtree and the shared subscription above.
    expect(auth?.subscriptions_denied).toBe(6);
  });
});

describe('the embedded broker without DEVICE_KEY', () => {
  it('stays open to anonymous clients on loopback, reporting that authentication is off', async () => {
    const server = await startServerUnderTest(undefined);
    try {
      expect(server.runtime.brokerAuth).toEqual({
        enforced: false,
        connects_refused: { total: 0, by_reason: {} },
        publishes_denied: 0,
        subscriptions_denied: 0,
      });
      const anonymous = await connectAs(server.runtime.mqttUrl, {});
      await anonymous.publishAsync(topicOf(server.topicRoot, A), wasteReading(Date.now() - 1000, 1), {
        qos: 1,
      });
      await anonymous.endAsync();
      await waitForRows(server.runtime.store, A, 3);
    } finally {
      await server.runtime.stop();
    }
  }, 60_000);

  it('refuses to start on a non-loopback address: exit code 2 naming DEVICE_KEY', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, MQTT_URL: '', DEVICE_KEY: '', MQTT_EMBEDDED_HOST: '0.0.0.0', PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(2);
    expect(stderr.trim()).toMatch(
      /^kutaisi-telemetry: DEVICE_KEY: required when the embedded broker listens on 0\.0\.0\.0/,
    );
  }, 30_000);

  it('refuses MQTT_USERNAME equal to a device id', async () => {
    await expect(startServerUnderTest(undefined, { DEVICE_KEY, MQTT_USERNAME: A })).rejects.toSatisfy(
      (error: unknown) => error instanceof ConfigError && error.path === 'MQTT_USERNAME',
    );
  });
});

const mosquittoPresent = hasBinary('mosquitto');
if (!mosquittoPresent)
  warnOnce(
    'mosquitto is not on PATH: skipping the device-ACL test against a real Mosquitto (CI installs it).',
  );

describe.skipIf(!mosquittoPresent)(
  'device ACLs on Mosquitto with the generated password and ACL files',
  () => {
    const root = `${uniqueName('acl')}/v1`;
    let mosquitto: AclMosquitto;
    let server: ServerUnderTest;
    let monitor: Monitor;
    beforeAll(async () => {
      const generated = mkdtempSync(join(tmpdir(), 'kutaisi-acl-generated-'));
      generateAuthFiles(generated, {
        DEVICE_KEY,
        MQTT_USERNAME: SERVICE.username,
        MQTT_PASSWORD: SERVICE.password,
        MQTT_TOPIC_ROOT: root,
      });
      mosquitto = await startAclMosquitto(generated);
      server = await startServerUnderTest(mosquitto.url, {
        MQTT_USERNAME: SERVICE.username,
        MQTT_PASSWORD: SERVICE.password,
        MQTT_TOPIC_ROOT: root,
      });
      monitor = await Monitor.start(mosquitto.url, root);
    }, 60_000);
    afterAll(async () => {
      await monitor?.stop();
      await server?.runtime.stop();
      await mosquitto?.stop();
    });
    const context = () => ({ server, root, url: mosquitto.url, monitor });

    aclSuite(context);

    it("lets the server's identity ingest through a shared subscription (scale-out)", async () => {
      const member = await connectAs(mosquitto.url, SERVICE, { clientId: uniqueName('member') });
      const received: string[] = [];
      member.on('message', (topic) => received.push(topic));
      const [granted] = await member.subscribeAsync(`$share/acl-test/${root}/waste/+/+`, { qos: 1 });
      expect(granted?.qos).toBe(1);
      const device = await connectAs(mosquitto.url, credentialsOf(A));
      await device.publishAsync(
        topicOf(root, A, 'event'),
        JSON.stringify({ ts: Date.now(), type: 'lid_open' }),
        {
          qos: 1,
        },
      );
      await device.endAsync();
      for (let i = 0; i < 50 && received.length === 0; i++) await sleep(50);
      await member.endAsync();
      expect(received).toEqual([topicOf(root, A, 'event')]);
    });

    it('serves devices over the TLS listener of the template (mqtts://, certificate from the README recipe)', async (ctx) => {
      const tls = mosquitto.tls;
      if (!tls) {
        warnOnce('openssl is not on PATH: skipping the Mosquitto TLS listener check.');
        ctx.skip();
        return;
      }
      const rowsOfA = await rows(server.runtime.store, A);
      const device = await connectAs(tls, credentialsOf(A));
      await device.publishAsync(topicOf(root, A), wasteReading(Date.now() - 500, 9), { qos: 1 });
      await device.endAsync();
      await waitForRows(server.runtime.store, A, rowsOfA + 3);
      expect(await refusedWith(tls, { username: A, password: 'guess' })).toBe(NOT_AUTHORIZED);
    });
  },
);
