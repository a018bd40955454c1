/** A real server (embedded broker and store) serving the built dashboard, fed by the simulated fleet. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Registry } from '../../server/src/config/registry.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { startRuntime, type Runtime } from '../../server/src/runtime.js';
import { DuckDbStore } from '../../server/src/store/duckdb/duckdb-store.js';
import type { FleetSizes } from '../../simulators/src/fleet-devices.js';
import { startLiveFleet, type LiveFleet } from '../../simulators/src/live.js';
import { backfill } from '../experiments/sim-backfill.js';
import { uniqueName } from '../helpers/brokers.js';
import { TEST_ADMIN_PASSWORD } from '../helpers/server-under-test.js';

export interface LiveServer {
  runtime: Runtime;
  registry: Registry;
  fleet: LiveFleet;
  topicRoot: string;
  stop(): Promise<void>;
}

export interface LiveServerOptions {
  /** Model seconds per wall second of the live fleet. */
  speed?: number;
  portfolioPath?: string;
  /**
   * Simulated history written to the store before the server starts: a few weeks on both sides
   * of every experiment's start (so effects can be estimated) and the last three days (so charts
   * and the collection plan have recent data). Between the two lies a gap of weeks.
   */
  history?: boolean;
  /** Devices of each family the live fleet runs (default: all of the portfolio's). */
  fleet?: FleetSizes;
}

/** Builds dashboard/dist when it is missing or older than its sources. */
export function ensureDashboardBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-dashboard.js'], { stdio: 'inherit' });
}

async function writeHistory(dataDir: string, registry: Registry): Promise<void> {
  const store = new DuckDbStore(join(dataDir, 'telemetry.duckdb'));
  await store.open();
  try {
    const now = new Date().toISOString();
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const common = { store, seed: 5, registry };
    await backfill({
      ...common,
      ranges: [
        ['2026-08-11', '2026-09-22'],
        [threeDaysAgo, now],
      ],
      domains: ['waste', 'mobility'],
    });
    await backfill({
      ...common,
      ranges: [
        ['2026-04-01', '2026-05-01'],
        ['2026-09-15', '2026-10-13'],
        [threeDaysAgo, now],
      ],
      domains: ['energy'],
    });
  } finally {
    await store.close();
  }
}

export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const { speed = 300, portfolioPath = 'config/portfolio.yaml', history = false, fleet: sizes } = options;
  const registry = loadRegistry(portfolioPath);
  const topicRoot = `${uniqueName('e2e')}/v1`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-e2e-'));
  if (history) await writeHistory(dataDir, registry);
  const settings = loadSettings({
    PORT: '0',
    MQTT_EMBEDDED_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MQTT_CLIENT_ID: uniqueName('ingest'),
    MQTT_TOPIC_ROOT: topicRoot,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // The browser tests sign in many times a minute; the limit itself is tested in security.test.ts.
    LOGIN_RATE_LIMIT_MAX: '1000',
  });
  const runtime = await startRuntime(settings, registry, join(process.cwd(), 'dashboard/dist'));
  const fleet = await startLiveFleet({
    registry,
    mqttUrl: runtime.mqttUrl,
    topicRoot,
    speed,
    seed: 7,
    ...(sizes ? { sizes } : {}),
  });
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
