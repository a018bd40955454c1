/** Wires device authentication into the embedded broker from the settings and the registry. */
import { ConfigError } from '../config/config-error.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { BrokerAuth } from './broker-auth.js';
import { mintServicePassword, SERVICE_USERNAME } from './device-credentials.js';
import { brokerSourceRules } from '../sources/source-acl.js';

/**
 * The embedded broker's authentication, or undefined when DEVICE_KEY is unset (an open broker on
 * loopback). The server's own clients use MQTT_USERNAME / MQTT_PASSWORD when given, otherwise
 * `kutaisi.server` with a random password minted for this process only.
 */
export function embeddedBrokerAuth(settings: Settings, registry: Registry): BrokerAuth | undefined {
  const { deviceKey, username, password, topicRoot, clientId } = settings.mqtt;
  if (deviceKey === undefined) return undefined;
  const service = { username: username ?? SERVICE_USERNAME, password: password ?? mintServicePassword() };
  if (registry.devices.has(service.username))
    throw new ConfigError(
      'MQTT_USERNAME',
      `"${service.username}" is a registered device id; the server's MQTT identity must differ from every device`,
    );
  return new BrokerAuth({
    topicRoot,
    deviceKey,
    service,
    serviceClientIdPrefix: clientId,
    device: (id) => registry.device(id),
    sources: brokerSourceRules(registry),
  });
}

/** What the server logs at start-up about device authentication on the embedded broker. */
export function deviceAuthWarnings(
  settings: Settings,
  auth: BrokerAuth | undefined,
  embeddedUrl: string | undefined,
): string[] {
  if (embeddedUrl === undefined) return [];
  if (!auth)
    return [
      `mqtt: DEVICE_KEY is not set: device authentication is OFF; the embedded broker at ${embeddedUrl} accepts any client on this machine (set DEVICE_KEY to enforce per-device credentials)`,
    ];
  if (settings.mqtt.demoDeviceKey)
    return [
      'mqtt: DEMO-ONLY device key in use (public, in the source code): anyone can derive every device password; set DEVICE_KEY for anything but a local demo',
    ];
  return [];
}
