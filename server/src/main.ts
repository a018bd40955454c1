/** Composition root: settings → registry → runtime; exit code 2 with one line on a bad setting. */
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ConfigError } from './config/config-error.js';
import { loadRegistry } from './config/portfolio.js';
import { loadSettings } from './config/settings.js';
import { firstLine, startRuntime, StartupError } from './runtime.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// `npm start` and `npm run demo` build it first (scripts/ensure-dashboard.js).
const dashboardDir = `${root}dashboard/dist`;

async function main(): Promise<void> {
  const settings = loadSettings();
  // Before the registry is built. On a machine with a few GB free V8 lets the old generation grow
  // to up to 4x what survived the last full collection: with a large, long-lived live set (50,000
  // devices' registry and live state, about 100 MB) that is hundreds of MB of garbage kept mapped.
  // 1.5x bounds it; the extra full collections cost well under 1 % of the ingest (bench: memory, ingest).
  if (settings.heapGrowthPercent > 0)
    setFlagsFromString(`--heap-growing-percent=${settings.heapGrowthPercent}`);
  const registry = loadRegistry(settings.portfolioPath);
  const runtime = await startRuntime(settings, registry, dashboardDir);
  runtime.app.log.info(`dashboard and API on ${runtime.httpUrl} (MQTT ${runtime.mqttUrl})`);

  let fleet: { stop(): Promise<void> } | undefined;
  if (settings.demo) {
    const { startLiveFleet } = await import('../../simulators/src/live.js');
    const { SIM_FORMATS } = await import('../../simulators/src/source-formats.js');
    const format = SIM_FORMATS.find((f) => f === (settings.demoFormat ?? 'native'));
    if (!format) {
      await runtime.stop();
      throw new ConfigError(
        'DEMO_FORMAT',
        `expected one of ${SIM_FORMATS.join(', ')}, got "${settings.demoFormat}"`,
      );
    }
    fleet = await startLiveFleet({
      registry,
      mqttUrl: runtime.mqttUrl,
      topicRoot: settings.mqtt.topicRoot,
      format,
      // Each simulated device authenticates as itself, as a real one must (the demo-only key unless DEVICE_KEY is set).
      ...(settings.mqtt.deviceKey !== undefined ? { deviceKey: settings.mqtt.deviceKey } : {}),
      speed: 300,
      seed: 42,
      log: (line) => runtime.app.log.info(`simulator: ${line}`),
    });
    runtime.app.log.info(`demo: simulated fleet of ${registry.devices.size} devices publishing`);
  }

  const shutdown = (signal: string) => {
    runtime.app.log.info(`${signal}: flushing and shutting down`);
    const done = (fleet?.stop() ?? Promise.resolve()).then(() => runtime.stop());
    done.then(
      () => process.exit(0),
      (error: unknown) => {
        runtime.app.log.error(`shutdown failed: ${firstLine(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`kutaisi-telemetry: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`kutaisi-telemetry: failed to start: ${firstLine(error)}\n`);
  process.exit(1);
});
