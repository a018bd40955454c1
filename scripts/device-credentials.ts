/**
 * Prints a device's MQTT credentials for provisioning (nothing per device is stored anywhere):
 *
 *   DEVICE_KEY=… npm run device-credentials -- bin-nikea-02 [more ids…]
 *   DEVICE_KEY=… npm run device-credentials -- --all --format tsv > credentials.tsv
 *   npm run device-credentials -- --demo bin-nikea-02      # the demo-only key of `npm run demo`
 *
 * username = the device id; password = base64url(HMAC-SHA256(DEVICE_KEY, device id)).
 * A portfolio source on the server's own broker has an identity too: name it `source.<id>`
 * (docs/sources.md, Security); it may publish only within the source's topic filter.
 * Exit 2 on a bad option, a missing key or a device that is not in the portfolio.
 */
import { parseArgs } from 'node:util';
import { DEMO_DEVICE_KEY, devicePassword } from '../server/src/broker/device-credentials.js';
import { ConfigError } from '../server/src/config/config-error.js';
import { loadRegistry } from '../server/src/config/portfolio.js';
import { loadSettings } from '../server/src/config/settings.js';
import { MESSAGE_KINDS } from '../server/src/contract/index.js';
import {
  deviceSourceTopics,
  sourceIdentityWrite,
  SOURCE_USERNAME_PREFIX,
} from '../server/src/sources/source-acl.js';

const USAGE =
  'Usage: DEVICE_KEY=… npm run device-credentials -- [--demo] [--portfolio FILE] [--format text|tsv|json] (--all | DEVICE_ID…)';

function fail(message: string): never {
  process.stderr.write(`device-credentials: ${message}\n`);
  process.exit(2);
}

function main(argv: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        all: { type: 'boolean' },
        demo: { type: 'boolean' },
        portfolio: { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'tsv' && format !== 'json') fail(`--format must be text, tsv or json`);
  if (!values.all && positionals.length === 0) fail(`name at least one device id, or --all\n${USAGE}`);
  const env = process.env;
  const settings = loadSettings({
    DEVICE_KEY: values.demo ? DEMO_DEVICE_KEY : env.DEVICE_KEY,
    MQTT_TOPIC_ROOT: env.MQTT_TOPIC_ROOT,
    PORTFOLIO: values.portfolio ?? env.PORTFOLIO,
  });
  const key = settings.mqtt.deviceKey;
  if (key === undefined) fail('DEVICE_KEY is not set (for the credentials of `npm run demo`, add --demo)');
  const registry = loadRegistry(settings.portfolioPath);
  const sourceWrite = (name: string) =>
    name.startsWith(SOURCE_USERNAME_PREFIX)
      ? sourceIdentityWrite(registry.portfolio, name.slice(SOURCE_USERNAME_PREFIX.length))
      : undefined;
  const unknown = positionals.filter((id) => !registry.devices.has(id) && sourceWrite(id) === undefined);
  if (unknown.length > 0) fail(`not in ${settings.portfolioPath}: ${unknown.join(', ')}`);
  const devices = values.all
    ? [...registry.devices.values()]
    : positionals.flatMap((id) => registry.devices.get(id) ?? []);
  const root = settings.mqtt.topicRoot;
  const rows: { device: string; domain: string; username: string; password: string; topics: string[] }[] =
    devices.map((d) => ({
      device: d.id,
      domain: d.domain,
      username: d.id,
      password: devicePassword(key, d.id),
      topics: [
        ...MESSAGE_KINDS.map((kind) => `${root}/${d.domain}/${d.id}/${kind}`),
        ...deviceSourceTopics(registry.portfolio, d).write,
      ],
    }));
  for (const name of values.all ? [] : positionals) {
    const write = sourceWrite(name);
    if (write !== undefined)
      rows.push({
        device: name,
        domain: 'source',
        username: name,
        password: devicePassword(key, name),
        topics: [write],
      });
  }
  if (values.demo) process.stderr.write('device-credentials: DEMO-ONLY key: these passwords are public\n');
  if (format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (format === 'tsv')
    process.stdout.write(rows.map((r) => `${r.username}\t${r.password}\t${r.domain}\n`).join(''));
  else
    process.stdout.write(
      rows
        .map(
          (r) =>
            `device:   ${r.device} (${r.domain})\nusername: ${r.username}\npassword: ${r.password}\npublish:  ${r.topics.join('\n          ')}\n`,
        )
        .join('\n'),
    );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
