/** MQTT plumbing shared by backfill, load and live mode (MQTT.js 5). */
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { OutMessage } from './fleet.js';
import type { Batch } from './generate.js';

export interface BrokerOptions {
  url: string;
  username?: string;
  password?: string;
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

/**
 * Publishes historical batches QoS 1 as fast as the broker acknowledges them,
 * keeping at most `window` messages unacknowledged so memory stays bounded.
 */
export async function publishBatches(
  client: MqttClient,
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
      client.publish(message.topic, encode(message.payload), { qos: 1 }, settle);
    }
    options.onProgress?.(batch.at, acked);
  }
  await drainTo(0);
  return acked;
}
