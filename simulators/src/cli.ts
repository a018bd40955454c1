/**
 * `npm run simulate -- …` (tsx simulators/src/cli.ts): live, backfill, dry-run and load mode.
 * Bad options exit with code 2 and one line on stderr; runtime failures with code 1.
 */
import { writeFileSync } from 'node:fs';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Registry } from '../../server/src/config/registry.js';
import { DOMAINS } from '../../server/src/contract/index.js';
import { HELP, UsageError, parseCli, type CliOptions } from './cli-args.js';
import { parseFaults, type FaultRates } from './faults.js';
import { Fleet } from './fleet.js';
import { expandedPortfolio, fleetDevices, portfolioYaml } from './fleet-devices.js';
import { dryRun, generateRange } from './generate.js';
import { startLiveFleet } from './live.js';
import { runLoad } from './load.js';
import {
  connectBroker,
  PerDeviceSender,
  publishBatches,
  sharedSender,
  type BrokerOptions,
  type Sender,
} from './mqtt-io.js';
import { Progress } from './progress.js';
import { messageFormatter } from './source-formats.js';
import { EMPTY_SCENARIO, loadScenario, type Scenario } from './scenario.js';
import { Truth } from './truth.js';
import { truthReport, writeTruth } from './truth-report.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

interface Setup {
  options: CliOptions;
  registry: Registry;
  scenario: Scenario;
  faults: FaultRates;
  truth: Truth;
  broker: BrokerOptions;
}

function setup(argv: string[]): Setup {
  const options = parseCli(argv);
  const scenario = options.scenario ? loadScenario(options.scenario) : EMPTY_SCENARIO;
  let faults: FaultRates = options.faults ?? {};
  if (!options.faults && scenario.faults) faults = parseFaults(scenario.faults);
  const registry = loadRegistry(options.portfolio);
  if (options.format !== 'native' && messageFormatter(registry, options.format).bound === 0)
    throw new UsageError(
      `--format ${options.format}: no device of ${options.portfolio} has a source: of that format (docs/sources.md)`,
    );
  const broker: BrokerOptions = {
    url: options.mqtt,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.deviceKey !== undefined ? { deviceKey: options.deviceKey } : {}),
  };
  return { options, registry, scenario, faults, truth: new Truth(), broker };
}

function finish(s: Setup, from: number, to: number): void {
  if (!s.options.truth) return;
  const fleet: Record<string, number> = {};
  const devices = fleetDevices(s.registry, s.options.sizes);
  for (const domain of DOMAINS) fleet[domain] = devices.filter((d) => d.domain === domain).length;
  const report = truthReport(s.truth, s.registry, s.scenario, {
    seed: s.options.seed,
    mode: s.options.mode,
    from,
    to,
    fleet,
    faults: s.faults,
  });
  writeTruth(s.options.truth, report);
  say(`truth written to ${s.options.truth}`);
}

/** Per-device connections with a device key; otherwise one shared connection (connected first, so a bad broker fails fast). */
async function openSender(broker: BrokerOptions, name: string): Promise<Sender> {
  if (broker.deviceKey !== undefined) return new PerDeviceSender(broker, name);
  return sharedSender(await connectBroker(broker, { clientId: `kutaisi-${name}` }));
}

async function run(s: Setup): Promise<void> {
  const { options, registry, truth } = s;
  const base = {
    registry,
    seed: options.seed,
    topicRoot: options.topicRoot,
    faults: s.faults,
    scenario: s.scenario,
    truth,
    format: options.format,
    ...(options.sizes ? { sizes: options.sizes } : {}),
  };
  if (options.writePortfolio) {
    writeFileSync(options.writePortfolio, portfolioYaml(expandedPortfolio(registry, options.sizes)));
    say(
      `portfolio with ${fleetDevices(registry, options.sizes).length} devices written to ${options.writePortfolio}`,
    );
  }

  if (options.mode === 'dry-run') {
    dryRun({ ...base, from: options.from, to: options.to }, (chunk) => process.stdout.write(chunk));
    finish(s, options.from, options.to);
    return;
  }

  if (options.mode === 'backfill') {
    const sender = await openSender(s.broker, `sim-backfill-${process.pid}`);
    const progress = new Progress('backfill');
    const span = options.to - options.from;
    const acked = await publishBatches(
      sender,
      generateRange({ ...base, from: options.from, to: options.to }),
      {
        window: options.window ?? 1000,
        onProgress: (at, count) => progress.update((at - options.from) / span, count),
      },
    );
    progress.done(acked);
    await sender.close();
    say(`backfill: ${acked} messages acknowledged by ${options.mqtt}`);
    finish(s, options.from, options.to);
    return;
  }

  if (options.mode === 'load') {
    const sender = await openSender(s.broker, `sim-load-${process.pid}`);
    const fleet = new Fleet({ ...base, now: Date.now });
    const start = Date.now();
    fleet.start(start);
    const durationS = options.durationS ?? 10;
    say(`load: ${options.rate}/s for ${durationS} s over ${fleet.devices.length} devices on ${options.mqtt}`);
    const result = await runLoad({
      sender,
      fleet,
      rate: options.rate,
      durationS,
      ...(options.window ? { window: options.window } : {}),
      onTick: (sent, elapsed) => {
        if (process.stderr.isTTY) process.stderr.write(`\rload: ${sent} sent in ${elapsed.toFixed(1)} s   `);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    await sender.close();
    say(
      `load: requested ${result.requested_rate}/s, achieved ${result.achieved_rate}/s (${(result.deviation * 100).toFixed(1)} %), ${result.acknowledged}/${result.published} acknowledged, ${result.errors} errors`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    finish(s, start, Date.now());
    return;
  }

  const start = Date.now();
  const live = await startLiveFleet({
    registry,
    mqttUrl: options.mqtt,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.deviceKey !== undefined ? { deviceKey: options.deviceKey } : {}),
    topicRoot: options.topicRoot,
    format: options.format,
    speed: options.speed,
    seed: options.seed,
    log: say,
    faults: s.faults,
    scenario: s.scenario,
    truth,
    ...(options.sizes ? { sizes: options.sizes } : {}),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (options.durationS !== undefined) setTimeout(resolve, options.durationS * 1000);
  });
  await live.stop();
  finish(s, start, Date.now());
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  let s: Setup;
  try {
    s = setup(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(`simulate: ${message}${error instanceof UsageError ? ' (see --help)' : ''}`);
    return 2;
  }
  try {
    await run(s);
    return 0;
  } catch (error) {
    say(`simulate: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// `… --dry-run | head` closes the pipe early: that is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
