/** A real server (embedded broker and store) serving the built dashboard, fed by the simulated fleet. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Registry } from '../../server/src/config/registry.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { startRuntime, type Runtime } from '../../server/src/runtime.js';
import { startLiveFleet, type LiveFleet } from '../../simulators/src/live.js';
import { uniqueName } from '../helpers/brokers.js';
import { TEST_ADMIN_PASSWORD } from '../helpers/server-under-test.js';

export interface LiveServer {
  runtime: Runtime;
  registry: Registry;
  fleet: LiveFleet;
  topicRoot: string;
  stop(): Promise<void>;
}

/** Builds dashboard/dist when it is missing or older than its sources. */
export function ensureDashboardBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-dashboard.js'], { stdio: 'inherit' });
}

export async function startLiveServer(
  speed = 300,
  portfolioPath = 'config/portfolio.yaml',
): Promise<LiveServer> {
  const registry = loadRegistry(portfolioPath);
  const topicRoot = `${uniqueName('e2e')}/v1`;
  const settings = loadSettings({
    PORT: '0',
    MQTT_EMBEDDED_PORT: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kutaisi-e2e-')),
    LOG_LEVEL: 'warn',
    MQTT_CLIENT_ID: uniqueName('ingest'),
    MQTT_TOPIC_ROOT: topicRoot,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // The browser tests sign in many times a minute; the limit itself is tested in security.test.ts.
    LOGIN_RATE_LIMIT_MAX: '1000',
  });
  const runtime = await startRuntime(settings, registry, join(process.cwd(), 'dashboard/dist'));
  const fleet = await startLiveFleet({ registry, mqttUrl: runtime.mqttUrl, topicRoot, speed, seed: 7 });
  return {
    runtime,
    registry,
    fleet,
    topicRoot,
    stop: async () => {
      await fleet.stop();
      await runtime.stop();
    },
  };
}
