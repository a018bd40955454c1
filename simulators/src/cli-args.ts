/** Command-line options of `npm run simulate`: parsing, checking and the help text. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MIN_DEVICE_KEY_LENGTH } from '../../server/src/broker/device-credentials.js';
import { DEFAULT_TOPIC_ROOT } from '../../server/src/contract/index.js';
import { parseTime } from './clock.js';
import { parseFaults, type FaultRates } from './faults.js';
import { parseFleet, type FleetSizes } from './fleet-devices.js';
import { SIM_FORMATS, type SimFormat } from './source-formats.js';

export const DEFAULT_PORTFOLIO = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/portfolio.yaml',
);

export const HELP = `Usage: npm run simulate -- [options]
Sensor simulators for the Kutaisi eco-smart pilots (waste bins, mobility counters, energy meters, a weather station).

Modes (chosen by the options given):
  live      (default)      publish in accelerated real time, ts = wall clock, until Ctrl-C or --duration
  backfill  --from/--to    publish historical readings as fast as the broker acknowledges them
  dry-run   --dry-run      write NDJSON {"topic":…,"payload":…} lines to stdout instead of publishing
                           (a string payload is deliberately malformed raw text)
  load      --rate N       publish N readings per second for --duration seconds, report the rate achieved

Options:
  --portfolio FILE     portfolio / device registry (default config/portfolio.yaml)
  --fleet SPEC         "portfolio" (default: the registry's devices) or sizes per family, e.g.
                       waste=200,mobility=20,energy=30 (synthetic devices sim-bin-000001… are added)
  --write-portfolio F  write the portfolio with the synthetic devices to F (for the server's registry)
  --seed N             random seed, integer (default 1); same seed and options give the same readings
  --speed X            live mode: model seconds per wall second (default 60)
  --from TIME          backfill start: YYYY-MM-DD (local midnight, Asia/Tbilisi), ISO 8601 or epoch ms
  --to TIME            backfill end, exclusive (default now)
  --rate N             load mode: readings per second
  --duration S         seconds to run in load mode (default 10) or live mode (default: until stopped)
  --window N           most unacknowledged messages in backfill and load mode (default 1000 / 5000)
  --faults SPEC        fault rates per reading, e.g. offline=0.01,stuck=0.005,spike=0.001,duplicate=0.002,
                       out_of_order=0.002,malformed=0.001,clock_skew=0.001,reset=0.0005 (default: none)
  --scenario FILE      YAML or JSON with planted effects: experiments: { <id>: { <setting>: value } }
                       (and optional faults:), overriding each experiment's simulation settings
  --truth FILE         write the ground truth (planted effects, fault log, published counts) as JSON
  --mqtt URL           broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --username U         broker user name (default $MQTT_USERNAME)
  --password P         broker password (default $MQTT_PASSWORD)
  --device-key K       each device connects on its own connection as itself: username = device id,
                       password derived from K (default $DEVICE_KEY; see docs/security.md, Device credentials).
                       Without it everything goes over one connection with --username/--password
                       (an open broker or a privileged identity: load tests, benchmarks)
  --topic-root ROOT    topic root (default ${DEFAULT_TOPIC_ROOT})
  --format F           native (default: the contract's topics and payloads), ttn-v3, chirpstack-v4, senml,
                       tasmota or shelly-gen2: devices bound by \`source:\` to a source of that format speak it
                       (on its topic, under their external id; the rest stay native); sources: each bound
                       device speaks its own source's format (docs/sources.md)
  --dry-run            write NDJSON to stdout instead of publishing (needs --from)
  -h, --help           show this help
Exit codes: 0 done, 1 runtime failure (e.g. broker unreachable), 2 bad options (including an unreadable
or invalid --portfolio or --scenario file).`;

export class UsageError extends Error {}

export interface CliOptions {
  help: boolean;
  mode: 'live' | 'backfill' | 'dry-run' | 'load';
  portfolio: string;
  sizes: FleetSizes | undefined;
  writePortfolio: string | undefined;
  seed: number;
  speed: number;
  from: number;
  to: number;
  rate: number;
  durationS: number | undefined;
  window: number | undefined;
  faults: FaultRates | undefined;
  scenario: string | undefined;
  truth: string | undefined;
  mqtt: string;
  username: string | undefined;
  password: string | undefined;
  deviceKey: string | undefined;
  topicRoot: string;
  format: SimFormat;
}

function number(name: string, text: string | undefined, check: (n: number) => boolean, expected: string) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${name} must be ${expected}, got "${text}"`);
  }
  return value;
}

function time(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseTime(text);
  if (value === null)
    throw new UsageError(`--${name} must be YYYY-MM-DD, ISO 8601 or epoch ms, got "${text}"`);
  return value;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env, now = Date.now()): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        portfolio: { type: 'string' },
        fleet: { type: 'string' },
        'write-portfolio': { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        window: { type: 'string' },
        faults: { type: 'string' },
        scenario: { type: 'string' },
        truth: { type: 'string' },
        mqtt: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'device-key': { type: 'string' },
        'topic-root': { type: 'string' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  const from = time('from', v.from);
  const to = time('to', v.to);
  const rate = number(
    'rate',
    v.rate,
    (n) => n > 0 && n <= 1_000_000,
    'a number of readings per second in (0, 1000000]',
  );
  const dry = v['dry-run'] === true;
  if (to !== undefined && from === undefined) throw new UsageError('--to needs --from');
  if (from !== undefined && from >= (to ?? now))
    throw new UsageError('--from must be before --to (default: now)');
  if (dry && from === undefined) throw new UsageError('--dry-run needs --from (and optionally --to)');
  if (rate !== undefined && (dry || from !== undefined))
    throw new UsageError('--rate (load mode) cannot be combined with --dry-run or --from');
  const root = v['topic-root'] ?? DEFAULT_TOPIC_ROOT;
  if (!/^[^#+]+$/.test(root) || root.endsWith('/'))
    throw new UsageError(
      `--topic-root must be a plain topic without wildcards or a trailing slash, got "${root}"`,
    );
  const mqtt = v.mqtt ?? (env.MQTT_URL || 'mqtt://127.0.0.1:1883');
  if (!/^(mqtts?|wss?|tcp|tls):\/\/./.test(mqtt))
    throw new UsageError(`--mqtt must be a URL like mqtt://host:1883, got "${mqtt}"`);
  const deviceKey = v['device-key'] ?? (env.DEVICE_KEY || undefined);
  if (deviceKey !== undefined && deviceKey.length < MIN_DEVICE_KEY_LENGTH)
    throw new UsageError(
      `--device-key (or DEVICE_KEY) must have at least ${MIN_DEVICE_KEY_LENGTH} characters`,
    );
  const format = v.format ?? 'native';
  if (!(SIM_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${SIM_FORMATS.join(', ')}, got "${format}"`);
  let faults: FaultRates | undefined;
  let sizes: FleetSizes | undefined;
  try {
    faults = v.faults === undefined ? undefined : parseFaults(v.faults);
    sizes = v.fleet === undefined ? undefined : parseFleet(v.fleet);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: v.help === true,
    mode: rate !== undefined ? 'load' : dry ? 'dry-run' : from !== undefined ? 'backfill' : 'live',
    portfolio: v.portfolio ?? DEFAULT_PORTFOLIO,
    sizes,
    writePortfolio: v['write-portfolio'],
    seed:
      number(
        'seed',
        v.seed,
        (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
        'an integer 0..4294967295',
      ) ?? 1,
    speed: number('speed', v.speed, (n) => n > 0 && n <= 1e7, 'a positive number') ?? 60,
    from: from ?? now,
    to: to ?? now,
    rate: rate ?? 0,
    durationS: number(
      'duration',
      v.duration,
      (n) => n > 0 && n <= 7 * 86_400,
      'a number of seconds in (0, 604800]',
    ),
    window: number(
      'window',
      v.window,
      (n) => Number.isInteger(n) && n >= 1 && n <= 1_000_000,
      'an integer 1..1000000',
    ),
    faults,
    scenario: v.scenario,
    truth: v.truth,
    mqtt,
    username: v.username ?? env.MQTT_USERNAME,
    password: v.password ?? env.MQTT_PASSWORD,
    deviceKey,
    topicRoot: root,
    format: format as SimFormat,
  };
}
