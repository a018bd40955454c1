/**
 * Settings of device authentication (DEVICE_KEY) and of where the embedded broker listens
 * (MQTT_EMBEDDED_HOST). Secure default: an open broker (no DEVICE_KEY) is refused anywhere but
 * on a loopback address, and so is the public demo key.
 */
import { ConfigError } from '../config/config-error.js';
import { DEMO_DEVICE_KEY, MIN_DEVICE_KEY_LENGTH } from './device-credentials.js';

export interface DeviceAuthSettings {
  /** Address the embedded broker listens on. */
  embeddedHost: string;
  /** Root secret of every device's password; undefined: the embedded broker is open (loopback only). */
  deviceKey: string | undefined;
  /** The key in use is the public DEMO_DEVICE_KEY (`npm run demo` without DEVICE_KEY). */
  demoDeviceKey: boolean;
}

type Env = Record<string, string | undefined>;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

export function loadDeviceAuthSettings(
  env: Env,
  context: { demo: boolean; mqttUrl: string | undefined },
): DeviceAuthSettings {
  const given = env.DEVICE_KEY === '' ? undefined : env.DEVICE_KEY;
  if (given !== undefined && given.length < MIN_DEVICE_KEY_LENGTH)
    throw new ConfigError(
      'DEVICE_KEY',
      `expected at least ${MIN_DEVICE_KEY_LENGTH} characters (generate one with \`openssl rand -base64 32\`), got ${given.length}`,
    );
  const deviceKey = given ?? (context.demo ? DEMO_DEVICE_KEY : undefined);
  const demoDeviceKey = deviceKey === DEMO_DEVICE_KEY;
  const embeddedHost =
    env.MQTT_EMBEDDED_HOST === undefined || env.MQTT_EMBEDDED_HOST === ''
      ? '127.0.0.1'
      : env.MQTT_EMBEDDED_HOST;
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(embeddedHost))
    throw new ConfigError('MQTT_EMBEDDED_HOST', `expected a host name or IP address, got "${embeddedHost}"`);
  if (context.mqttUrl === undefined && !isLoopbackHost(embeddedHost)) {
    if (deviceKey === undefined)
      throw new ConfigError(
        'DEVICE_KEY',
        `required when the embedded broker listens on ${embeddedHost} (MQTT_EMBEDDED_HOST is not a loopback address): devices on the network must authenticate`,
      );
    if (demoDeviceKey)
      throw new ConfigError(
        'DEVICE_KEY',
        `the demo-only device key is public: set a DEVICE_KEY of your own to listen on ${embeddedHost}`,
      );
  }
  return { embeddedHost, deviceKey, demoDeviceKey };
}
