/**
 * MQTT plumbing shared by backfill, load and live mode (MQTT.js 5).
 *
 * Two ways to publish a fleet: with a device key (DEVICE_KEY / --device-key) every device connects
 * on its own connection with its own derived credentials, as the brokers' per-device ACLs require;
 * without one, everything goes over a single connection with the shared --username/--password,
 * which only an open broker or a privileged identity accepts (load tests and benchmarks).
 */
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { devicePassword } from '../../server/src/broker/device-credentials.js';
import type { OutMessage } from './fleet.js';
import type { Batch } from './generate.js';

export interface BrokerOptions {
  url: string;
  username?: string;
  password?: string;
  /** Set: each device authenticates as itself (username = id, password derived from this key). */
  deviceKey?: string;
}

/** The credentials one device connects with: its own when a device key is given, the shared ones otherwise. */
export function deviceBroker(broker: BrokerOptions, deviceId: string): BrokerOptions {
  if (broker.deviceKey === undefined) return broker;
  return { url: broker.url, username: deviceId, password: devicePassword(broker.deviceKey, deviceId) };
}

function clientOptions(broker: BrokerOptions, extra: IClientOptions): IClientOptions {
  return {
    connectTimeout: 10_000,
    reconnectPeriod: 1000,
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...extra,
  };
}

/** Connects and resolves once the broker accepted us; rejects instead of retrying forever. */
export async function connectBroker(broker: BrokerOptions, extra: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(broker.url, clientOptions(broker, extra), false);
}

/** Connects without waiting: publishes made before the CONNACK are queued by MQTT.js. */
export function connectLater(broker: BrokerOptions, extra: IClientOptions = {}): MqttClient {
  return connect(broker.url, clientOptions(broker, extra));
}

export function encode(payload: OutMessage['payload']): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** Publishes a fleet's messages QoS 1; `done` runs on the broker's acknowledgement or an error. */
export interface Sender {
  send(message: OutMessage, done: (error?: Error) => void): void;
  close(): Promise<void>;
}

/** Everything over one connection: the privileged (or open-broker) path. */
export function sharedSender(client: MqttClient): Sender {
  return {
    send: (message, done) => client.publish(message.topic, encode(message.payload), { qos: 1 }, done),
    close: () => client.endAsync(),
  };
}

/**
 * One connection per device with its own credentials, opened on the device's first message.
 * Publishes made before the CONNACK are queued by MQTT.js. A refused or lost connection fails
 * that device's unacknowledged publishes at once (no endless retry on a wrong key); its next
 * message opens a new connection.
 */
export class PerDeviceSender implements Sender {
  private readonly devices = new Map<string, { client: MqttClient; pending: Set<(error?: Error) => void> }>();

  constructor(
    private readonly broker: BrokerOptions,
    private readonly clientIdSuffix: string,
  ) {}

  get connections(): number {
    return this.devices.size;
  }

  send(message: OutMessage, done: (error?: Error) => void): void {
    const device = this.device(message.as ?? message.device);
    let settled = false;
    const once = (error?: Error) => {
      if (settled) return;
      settled = true;
      device.pending.delete(once);
      done(error);
    };
    device.pending.add(once);
    device.client.publish(message.topic, encode(message.payload), { qos: 1 }, once);
  }

  private device(deviceId: string) {
    let device = this.devices.get(deviceId);
    if (device) return device;
    const client = connectLater(deviceBroker(this.broker, deviceId), {
      clientId: `${deviceId}-${this.clientIdSuffix}`.slice(0, 64),
      clean: true,
      reconnectPeriod: 0,
    });
    const pending = new Set<(error?: Error) => void>();
    let failure: Error | undefined;
    client.on('error', (error) => (failure ??= error));
    client.on('close', () => {
      if (this.devices.get(deviceId)?.client === client) this.devices.delete(deviceId);
      const error = new Error(`${deviceId}: ${failure?.message ?? 'connection closed'}`);
      for (const done of [...pending]) done(error);
    });
    device = { client, pending };
    this.devices.set(deviceId, device);
    return device;
  }

  async close(): Promise<void> {
    const devices = [...this.devices.values()];
    this.devices.clear();
    await Promise.all(devices.map(({ client }) => client.endAsync(!client.connected)));
  }
}

/**
 * Publishes historical batches QoS 1 as fast as the broker acknowledges them,
 * keeping at most `window` messages unacknowledged so memory stays bounded.
 */
export async function publishBatches(
  sender: Sender,
  batches: Iterable<Batch>,
  options: { window: number; onProgress?: (at: number, acked: number) => void },
): Promise<number> {
  let inflight = 0;
  let acked = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = (error?: Error) => {
    inflight -= 1;
    if (error) failure ??= error;
    else acked += 1;
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const drainTo = async (limit: number) => {
    while (inflight > limit && !failure) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
  };
  for (const batch of batches) {
    for (const message of batch.messages) {
      await drainTo(options.window - 1);
      inflight += 1;
      sender.send(message, settle);
    }
    options.onProgress?.(batch.at, acked);
  }
  await drainTo(0);
  return acked;
}
