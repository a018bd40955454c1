/** Who the server is on MQTT: one identity for every client it opens (ingest, alerts, cluster). */
import type { AlertMqttOptions } from '../alerts/alert-mqtt.js';
import type { BrokerAuth } from '../broker/broker-auth.js';
import { embeddedBrokerAuth } from '../broker/embedded-auth.js';
import { memberClientId } from '../cluster/cluster-settings.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';

/**
 * The embedded broker's device authentication (when DEVICE_KEY is set), and the settings with
 * the server's service identity in MQTT_USERNAME / MQTT_PASSWORD, so that every client of the
 * server connects as that identity. Throws ConfigError before anything has started.
 */
export function withServiceIdentity(
  settings: Settings,
  registry: Registry,
): { settings: Settings; brokerAuth: BrokerAuth | undefined } {
  const brokerAuth = settings.mqtt.url === undefined ? embeddedBrokerAuth(settings, registry) : undefined;
  if (!brokerAuth) return { settings, brokerAuth };
  return { settings: { ...settings, mqtt: { ...settings.mqtt, ...brokerAuth.service } }, brokerAuth };
}

/** The ingest's client id; in a cluster each instance keeps a persistent session of its own. */
export function serverClientId(settings: Settings): string {
  return settings.cluster
    ? memberClientId(settings.mqtt.clientId, settings.cluster.instanceId)
    : settings.mqtt.clientId;
}

/** Connection options of one of the server's own clients on `url`. */
export function serviceMqtt(settings: Settings, url: string, clientId: string): AlertMqttOptions {
  return {
    url,
    clientId,
    username: settings.mqtt.username,
    password: settings.mqtt.password,
    topicRoot: settings.mqtt.topicRoot,
  };
}
