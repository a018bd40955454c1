/** MQTT clients and probes shared by the device-ACL tests against aedes and Mosquitto. */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { devicePassword } from '../../server/src/broker/device-credentials.js';
import type { TelemetryStore } from '../../server/src/store/port.js';
import { waitFor } from '../helpers/brokers.js';

export const DEVICE_KEY = 'device-acl-test-key-not-a-real-secret';
export const SERVICE = { username: 'kutaisi.server', password: 'service-password-of-the-acl-test' };
/** Two waste bins that report fill fractions. */
export const A = 'bin-nikea-02';
export const B = 'bin-bagrati-02';

export const credentialsOf = (device: string) => ({
  username: device,
  password: devicePassword(DEVICE_KEY, device),
});

export function wasteReading(ts: number, seq: number): string {
  return JSON.stringify({ ts, seq, fill: 0.42, battery_v: 3.6, temp_c: 10 });
}

export function topicOf(root: string, device: string, kind = 'telemetry'): string {
  return `${root}/waste/${device}/${kind}`;
}

export type Url = string | { url: string; ca: Buffer };

export async function connectAs(
  target: Url,
  credentials: { username?: string; password?: string },
  extra: IClientOptions = {},
): Promise<MqttClient> {
  const url = typeof target === 'string' ? target : target.url;
  const tls = typeof target === 'string' ? {} : { ca: target.ca, rejectUnauthorized: true };
  return connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...tls,
    ...credentials,
    ...extra,
  });
}

/** The CONNACK return code of a connection the broker refuses; fails the test if it is accepted. */
export async function refusedWith(
  target: Url,
  credentials: { username?: string; password?: string },
  extra: IClientOptions = {},
): Promise<number> {
  let client: MqttClient;
  try {
    client = await connectAs(target, credentials, extra);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'number') throw error;
    return code;
  }
  await client.endAsync(true);
  throw new Error(`the broker accepted ${credentials.username ?? 'an anonymous client'}`);
}

/** Every message under the root, as the server's identity receives it. */
export class Monitor {
  readonly messages: { topic: string; payload: string }[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.messages.push({ topic, payload: payload.toString() }));
  }

  get topics(): string[] {
    return this.messages.map((m) => m.topic);
  }

  static async start(url: string, root: string): Promise<Monitor> {
    const client = await connectAs(url, SERVICE, { clientId: `acl-monitor-${process.pid}` });
    const monitor = new Monitor(client);
    const [granted] = await client.subscribeAsync(`${root}/#`, { qos: 1 });
    if (granted?.qos !== 1) throw new Error(`monitor subscription refused: ${JSON.stringify(granted)}`);
    return monitor;
  }

  saw(topic: string): boolean {
    return this.topics.includes(topic);
  }

  async stop(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** Metric rows stored for a device: a waste reading with fill, battery and temperature is three. */
export function rows(store: TelemetryStore, device: string): Promise<number> {
  return store.countRows(device);
}

export async function waitForRows(store: TelemetryStore, device: string, count: number): Promise<void> {
  await waitFor(`${count} rows of ${device} stored`, async () =>
    (await rows(store, device)) >= count ? true : undefined,
  );
}

/** The SUBACK return codes, in filter order (MQTT.js rejects a SUBACK holding a failure; its packet still has them). */
export async function subackCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos: 1 })).map((g) => g.qos);
  } catch (error) {
    const granted = (error as { packet?: { granted?: unknown } }).packet?.granted;
    if (!Array.isArray(granted)) throw error;
    return granted.map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos));
  }
}

/** Publishes and waits until each is acknowledged, refused, or the broker closed the connection (aedes's answer). */
export async function publishDenied(
  client: MqttClient,
  messages: { topic: string; payload: string; retain?: boolean }[],
) {
  const settled = Promise.all(
    messages.map(
      (m) =>
        new Promise<void>((resolve) =>
          client.publish(m.topic, m.payload, { qos: 1, retain: m.retain ?? false }, () => resolve()),
        ),
    ),
  );
  await Promise.race([settled, waitForClose(client, 5_000)]);
  await client.endAsync(true);
}

export async function waitForClose(client: MqttClient, timeoutMs = 5_000): Promise<boolean> {
  if (!client.connected) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
