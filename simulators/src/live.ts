/**
 * Live mode: every device is its own MQTT client (so its last will can announce
 * `{"state":"lost"}`), publishing in accelerated model time with `ts` = the
 * wall-clock publish time. The server's `npm run demo` calls startLiveFleet in-process.
 * With a device key each client authenticates as its device (see mqtt-io.ts).
 */
import type { MqttClient } from 'mqtt';
import type { Registry } from '../../server/src/config/registry.js';
import type { FaultRates } from './faults.js';
import { Fleet, type OutMessage, type SimDevice } from './fleet.js';
import type { FleetSizes } from './fleet-devices.js';
import { connectBroker, connectLater, deviceBroker, encode, type BrokerOptions } from './mqtt-io.js';
import type { Scenario } from './scenario.js';
import type { SimFormat } from './source-formats.js';
import type { Truth } from './truth.js';

export interface LiveOptions {
  registry: Registry;
  mqttUrl: string;
  username?: string;
  password?: string;
  /** Set: every device connects with its own derived credentials (DEVICE_KEY). */
  deviceKey?: string;
  topicRoot: string;
  /** Devices bound to a portfolio source speak its format (--format); default native. */
  format?: SimFormat;
  /** Model seconds per wall second: 300 makes a 15-minute device report every 3 s. */
  speed: number;
  seed: number;
  log?: (line: string) => void;
  faults?: FaultRates;
  scenario?: Scenario;
  sizes?: FleetSizes;
  truth?: Truth;
  /** A fleet that already ran (the demo's history): it goes on live from where it stopped. */
  fleet?: Fleet | undefined;
}

export interface LiveFleet {
  stop(): Promise<void>;
  published(): number;
}

const TICK_MS = 50;
/** Most readings produced in one tick, so a huge speed cannot starve the event loop. */
const MAX_STEPS_PER_TICK = 5000;

export async function startLiveFleet(options: LiveOptions): Promise<LiveFleet> {
  if (!(options.speed > 0)) throw new Error('speed must be a positive number');
  const log = options.log ?? (() => undefined);
  const broker: BrokerOptions = {
    url: options.mqttUrl,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.deviceKey !== undefined ? { deviceKey: options.deviceKey } : {}),
  };
  const fleet =
    options.fleet ??
    new Fleet({
      registry: options.registry,
      seed: options.seed,
      topicRoot: options.topicRoot,
      ...(options.format ? { format: options.format } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.scenario ? { scenario: options.scenario } : {}),
      ...(options.sizes ? { sizes: options.sizes } : {}),
      ...(options.truth ? { truth: options.truth } : {}),
    });
  const clients = new Map<string, MqttClient>();
  let published = 0;
  let stopped = false;

  // A device behind a network server (--format ttn-v3 …) has no MQTT presence of its own: no will, no status.
  const clientOptions = (device: SimDevice) => ({
    clientId: `sim-${device.config.id}-${process.pid}`.slice(0, 64),
    clean: true,
    ...(device.publisher.announces
      ? {
          will: {
            topic: device.topics.status,
            payload: Buffer.from('{"state":"lost"}'),
            qos: 1 as const,
            retain: true,
          },
        }
      : {}),
  });
  const announce = (device: SimDevice, client: MqttClient) => {
    if (!device.publisher.announces) return;
    client.publish(device.topics.status, JSON.stringify({ state: 'online', ts: Date.now() }), {
      qos: 1,
      retain: true,
    });
  };
  const watch = (device: SimDevice, client: MqttClient) => {
    client.on('error', (error) => log(`live: ${device.config.id}: ${error.message}`));
    client.on('connect', () => announce(device, client));
    clients.set(device.config.id, client);
  };

  // Connect in small groups: a few hundred simultaneous CONNECTs can trip broker limits.
  const devices = fleet.devices;
  const byId = new Map(devices.map((d) => [d.config.id, d]));
  try {
    for (let i = 0; i < devices.length; i += 50) {
      await Promise.all(
        devices.slice(i, i + 50).map(async (device) => {
          const client = await connectBroker(
            deviceBroker(broker, device.publisher.identity),
            clientOptions(device),
          );
          watch(device, client);
          announce(device, client);
        }),
      );
    }
  } catch (error) {
    await Promise.all([...clients.values()].map((c) => c.endAsync(true)));
    throw error;
  }

  const wallStart = Date.now();
  const longest = Math.max(0, ...devices.map((d) => d.intervalMs));
  // Start one interval back so every device reports at once and the dashboard fills immediately.
  if (!options.fleet) fleet.start(wallStart - longest);
  log(
    `live: ${devices.length} devices on ${options.mqttUrl}, speed ×${options.speed}` +
      (longest > 0 ? `, one reading per device every ${(longest / options.speed / 1000).toFixed(1)} s` : ''),
  );

  const publish = (message: OutMessage) => {
    const client = clients.get(message.device);
    client?.publish(message.topic, encode(message.payload), { qos: 1 }, (error) => {
      if (!error && message.kind === 'telemetry') published += 1;
    });
  };

  const tick = () => {
    if (stopped) return;
    const modelNow = wallStart + (Date.now() - wallStart) * options.speed;
    try {
      for (let n = 0; n < MAX_STEPS_PER_TICK && fleet.peek() <= modelNow; n++) {
        const out = fleet.step(Date.now());
        const id = out.device.config.id;
        if (out.offlineUntil !== undefined) {
          // Drop the connection without DISCONNECT: the broker then publishes the retained last will.
          const client = clients.get(id);
          clients.delete(id);
          client?.end(true);
          log(`live: ${id} offline (fault) until model time ${new Date(out.offlineUntil).toISOString()}`);
        }
        if (out.back && !clients.has(id)) {
          watch(
            out.device,
            connectLater(deviceBroker(broker, out.device.publisher.identity), clientOptions(out.device)),
          );
          log(`live: ${id} back online`);
        }
        out.messages.forEach(publish);
      }
    } catch (error) {
      log(`live: ${error instanceof Error ? error.message : String(error)}`);
    }
    timer = setTimeout(tick, TICK_MS);
  };
  let timer = setTimeout(tick, 0);

  return {
    published: () => published,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      // A deliberate stop is "offline", not "lost": publish it, then disconnect cleanly so the will is discarded.
      await Promise.all(
        [...clients.entries()].map(async ([id, client]) => {
          const device = byId.get(id);
          try {
            if (device?.publisher.announces && client.connected) {
              await client.publishAsync(
                device.topics.status,
                JSON.stringify({ state: 'offline', ts: Date.now() }),
                {
                  qos: 1,
                  retain: true,
                },
              );
            }
            // A client still (re)connecting has no session to close cleanly.
            await client.endAsync(!client.connected);
          } catch {
            await client.endAsync(true);
          }
        }),
      );
      clients.clear();
      log(`live: stopped after ${published} readings`);
    },
  };
}
