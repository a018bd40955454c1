/** A bad setting or portfolio stops start-up with exit code 2 and one line naming what is wrong. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      INFLUX_URL: '',
      INFLUX_API: '',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kutaisi-start-')),
      PORT: '0',
      MQTT_EMBEDDED_PORT: '0',
      ADMIN_PASSWORD: 'startup-test-password',
      DEMO: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('start-up errors', () => {
  const badPortfolio = join(mkdtempSync(join(tmpdir(), 'kutaisi-pf-')), 'portfolio.yaml');
  writeFileSync(badPortfolio, 'city: Kutaisi\ntimezone: Asia/Tbilisi\nsites: []\npilots: []\ndevices: []\n');
  // A device's source map that is not JSONata (config/examples/portfolio-sources.yaml, one character off).
  const badMap = join(mkdtempSync(join(tmpdir(), 'kutaisi-pf-')), 'portfolio.yaml');
  const example = readFileSync('config/examples/portfolio-sources.yaml', 'utf8');
  writeFileSync(badMap, example.replace('"fill": level_pct / 100,', '"fill": level_pct / ,'));

  it.each([
    [{ PORT: 'abc' }, /^kutaisi-telemetry: PORT: expected an integer/],
    // The secure default: no admin password, no start (outside the demo).
    [{ ADMIN_PASSWORD: '' }, /^kutaisi-telemetry: ADMIN_PASSWORD: required: the password of the first admin/],
    [{ ADMIN_PASSWORD: 'short' }, /^kutaisi-telemetry: ADMIN_PASSWORD: expected 12 to 256 characters/],
    [{ CORS_ORIGINS: '*' }, /^kutaisi-telemetry: CORS_ORIGINS: expected origins/],
    [{ MQTT_URL: 'ftp://broker' }, /^kutaisi-telemetry: MQTT_URL: expected an mqtt:\/\//],
    [{ PORTFOLIO: '/nonexistent.yaml' }, /^kutaisi-telemetry: PORTFOLIO: expected a readable portfolio file/],
    [{ PORTFOLIO: badPortfolio }, /^kutaisi-telemetry: .*portfolio\.yaml:\/sites: /],
    [
      { PORTFOLIO: badMap },
      /^kutaisi-telemetry: .*portfolio\.yaml:\/devices\/\d+\/source\/map: expected a JSONata expression \(device bin-nikea-02\)/,
    ],
    [
      { INFLUX_URL: 'http://127.0.0.1:9', INFLUX_API: 'v1' },
      /^kutaisi-telemetry: INFLUX_URL: cannot reach InfluxDB/,
    ],
    [
      { INFLUX_URL: 'http://127.0.0.1:9', INFLUX_ORG: 'kutaisi' },
      /^kutaisi-telemetry: INFLUX_TOKEN: expected an API token/,
    ],
    // Instances of a cluster must check each other's sessions: one secret for all.
    [
      {
        INGEST_SHARE_GROUP: 'g',
        MQTT_URL: 'mqtt://127.0.0.1:9',
        INFLUX_URL: 'http://127.0.0.1:9',
        INFLUX_API: 'v1',
      },
      /^kutaisi-telemetry: SESSION_SECRET: required with INGEST_SHARE_GROUP/,
    ],
    [{ SESSION_SECRET: 'too-short' }, /^kutaisi-telemetry: SESSION_SECRET: expected at least 32 characters/],
  ])('%j exits with code 2 and one line', async (env, message) => {
    const { code, stderr } = await start(env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
