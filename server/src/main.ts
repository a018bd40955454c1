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
  // Ctrl-C during the demo's history stops the fill where it is; what was written stays, and a restart fills the rest.
  const stopping = new AbortController();
  const shutdown = (signal: string) => {
    runtime.app.log.info(`${signal}: flushing and shutting down`);
    stopping.abort();
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

  if (settings.demo) {
    // Each simulated device authenticates as itself, as a real one must (the demo-only key unless DEVICE_KEY is set).
    const { startDemo } = await import('./demo/demo-mode.js');
    fleet = await startDemo(runtime, registry, settings, runtime.history, stopping.signal, (line) =>
      runtime.app.log.info(line),
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`kutaisi-telemetry: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`kutaisi-telemetry: failed to start: ${firstLine(error)}\n`);
  process.exit(1);
});
