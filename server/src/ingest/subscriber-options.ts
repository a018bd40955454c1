/**
 * MQTT.js options for a subscriber that must not lose a message: a persistent session (QoS 1
 * messages wait at the broker while it is away), MQTT 3.1.1 (see puback-gate.ts), and reconnects.
 * The ingest and every source on another broker connect with them.
 */
import type { IClientOptions } from 'mqtt';

export function durableSubscriberOptions(identity: {
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
}): IClientOptions {
  const options: IClientOptions = {
    clientId: identity.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    keepalive: 30,
    // MQTT.js would otherwise pre-build a 2-byte Buffer for each of the 65,536 packet ids on the
    // first packet (about 7 MB of heap, for the process: the setting is global to mqtt-packet).
    writeCache: false,
    // MQTT.js logs through `debug` several times per packet; even switched off that was 3 % of
    // the ingest's main thread (profiled). DEBUG=mqttjs* still turns its log on.
    ...(process.env.DEBUG?.includes('mqttjs') ? {} : { log: () => undefined }),
  };
  if (identity.username !== undefined) options.username = identity.username;
  if (identity.password !== undefined) options.password = identity.password;
  return options;
}
