/**
 * Generates Mosquitto's password and ACL files from the device registry:
 *
 *   DEVICE_KEY=… MQTT_PASSWORD=… npm run mosquitto:auth -- --out config/mosquitto/generated
 *
 * Reads DEVICE_KEY (every device's password is derived from it), MQTT_USERNAME (default
 * kutaisi.server) and MQTT_PASSWORD (the server's own identity), MQTT_TOPIC_ROOT and PORTFOLIO,
 * the same settings the server reads. Writes `<out>/passwd` and `<out>/acl`; re-run it after
 * adding devices and send Mosquitto SIGHUP to reload. Exit 2 on a bad setting or option.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_USERNAME } from '../server/src/broker/device-credentials.js';
import { aclFile, passwordFile, type MosquittoAuthInput } from '../server/src/broker/mosquitto-auth-files.js';
import { ConfigError } from '../server/src/config/config-error.js';
import { loadRegistry } from '../server/src/config/portfolio.js';
import { loadSettings } from '../server/src/config/settings.js';
import { brokerSourceRules } from '../server/src/sources/source-acl.js';

const USAGE = `Usage: DEVICE_KEY=… MQTT_PASSWORD=… npm run mosquitto:auth -- --out DIR [--portfolio FILE] [--topic-root ROOT]`;

function fail(message: string): never {
  process.stderr.write(`mosquitto-auth: ${message}\n`);
  process.exit(2);
}

function input(argv: string[]): { out: string; auth: MosquittoAuthInput } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        portfolio: { type: 'string' },
        'topic-root': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.out) fail(`--out DIR is required\n${USAGE}`);
  const env = process.env;
  // Only the settings this needs, validated exactly as the server validates them.
  const settings = loadSettings({
    DEVICE_KEY: env.DEVICE_KEY,
    MQTT_USERNAME: env.MQTT_USERNAME,
    MQTT_PASSWORD: env.MQTT_PASSWORD,
    MQTT_TOPIC_ROOT: values['topic-root'] ?? env.MQTT_TOPIC_ROOT,
    PORTFOLIO: values.portfolio ?? env.PORTFOLIO,
  });
  const { deviceKey, password, topicRoot } = settings.mqtt;
  if (deviceKey === undefined) fail('DEVICE_KEY: expected the device key (e.g. `openssl rand -base64 32`)');
  if (password === undefined) fail('MQTT_PASSWORD: expected the password of the server’s own MQTT identity');
  const username = settings.mqtt.username ?? SERVICE_USERNAME;
  const registry = loadRegistry(settings.portfolioPath);
  if (registry.devices.has(username))
    fail(`MQTT_USERNAME: "${username}" is a registered device id; the server's identity must differ`);
  return {
    out: values.out,
    auth: {
      topicRoot,
      deviceKey,
      service: { username, password },
      devices: registry.devices.values(),
      sources: brokerSourceRules(registry),
    },
  };
}

try {
  const { out, auth } = input(process.argv.slice(2));
  const devices = [...auth.devices];
  const full = { ...auth, devices };
  mkdirSync(out, { recursive: true });
  const passwd = join(out, 'passwd');
  const acl = join(out, 'acl');
  // Salted PBKDF2 hashes of 256-bit random passwords; readable by the broker's user (in a container, another uid).
  writeFileSync(passwd, passwordFile(full));
  writeFileSync(acl, aclFile(full));
  chmodSync(passwd, 0o644);
  chmodSync(acl, 0o644);
  process.stdout.write(
    `mosquitto-auth: ${devices.length} devices and ${full.service.username} under ${auth.topicRoot}/ → ${passwd}, ${acl}\n` +
      'Point password_file and acl_file of mosquitto.conf at them; after a change, reload Mosquitto with SIGHUP.\n',
  );
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
