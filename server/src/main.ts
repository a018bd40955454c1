/** Composition root: settings → registry → runtime; exit code 2 with one line on a bad setting. */
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config/config-error.js';
import { loadRegistry } from './config/portfolio.js';
import { loadSettings } from './config/settings.js';
import { firstLine, startRuntime, StartupError } from './runtime.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// `npm start` and `npm run demo` build it first (scripts/ensure-dashboard.js).
const dashboardDir = `${root}dashboard/dist`;

async function main(): Promise<void> {
  const settings = loadSettings();
  const registry = loadRegistry(settings.portfolioPath);
  const runtime = await startRuntime(settings, registry, dashboardDir);
  runtime.app.log.info(`dashboard and API on ${runtime.httpUrl} (MQTT ${runtime.mqttUrl})`);

  let fleet: { stop(): Promise<void> } | undefined;
  if (settings.demo) {
    const { startLiveFleet } = await import('../../simulators/src/live.js');
    fleet = await startLiveFleet({
      registry,
      mqttUrl: runtime.mqttUrl,
      topicRoot: settings.mqtt.topicRoot,
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
