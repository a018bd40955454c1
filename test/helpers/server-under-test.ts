/** Starts the real server runtime in-process on loopback with its own data folder and topic root. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { startRuntime, type Runtime } from '../../server/src/runtime.js';
import { uniqueName } from './brokers.js';

export interface ServerUnderTest {
  runtime: Runtime;
  topicRoot: string;
  dataDir: string;
  get<T>(path: string): Promise<T>;
}

export async function startServerUnderTest(
  brokerUrl: string | undefined,
  env: Record<string, string> = {},
): Promise<ServerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-int-'));
  const topicRoot = `${uniqueName('t')}/v1`;
  const settings = loadSettings({
    PORT: '0',
    MQTT_EMBEDDED_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MQTT_CLIENT_ID: uniqueName('ingest'),
    MQTT_TOPIC_ROOT: topicRoot,
    ...(brokerUrl ? { MQTT_URL: brokerUrl } : {}),
    ...env,
  });
  const runtime = await startRuntime(
    settings,
    loadRegistry('config/portfolio.yaml'),
    join(process.cwd(), 'dashboard/dist'),
  );
  return {
    runtime,
    topicRoot,
    dataDir,
    get: async <T>(path: string) => {
      const response = await fetch(`${runtime.httpUrl}${path}`);
      return (await response.json()) as T;
    },
  };
}
