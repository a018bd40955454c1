/**
 * `npm run weather:import` against a started server: a meteorological service's daily means become
 * the station's readings through the ingest, once however often the file is imported, and the
 * energy experiment then normalises with them instead of the monthly normals.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startServerUnderTest,
  TEST_ADMIN_PASSWORD,
  type ServerUnderTest,
} from '../helpers/server-under-test.js';

const STATION = 'wx-kutaisi-centre';
const dir = mkdtempSync(join(tmpdir(), 'weather-import-'));

/** Run asynchronously: the server under test lives in this process and must keep answering. */
function importCsv(
  server: ServerUnderTest,
  file: string,
  ...args: string[]
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/weather-import.ts',
        file,
        '--station',
        STATION,
        '--server',
        server.runtime.httpUrl,
        ...args,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, MQTT_TOPIC_ROOT: server.topicRoot, KUTAISI_PASSWORD: TEST_ADMIN_PASSWORD },
      },
      (error, _stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

describe('weather import', () => {
  let server: ServerUnderTest;
  const csv = join(dir, 'kutaisi-daily.csv');

  beforeAll(async () => {
    server = await startServerUnderTest(undefined);
    const rows = Array.from(
      { length: 31 },
      (_, i) => `2026-01-${String(i + 1).padStart(2, '0')},${(2 + i / 10).toFixed(1)},1.2`,
    );
    writeFileSync(csv, `date,tavg,prcp\n${rows.join('\n')}\n`);
  });
  afterAll(async () => server?.runtime.stop());

  it('stores each daily mean once, however often the file is imported', async () => {
    const first = await importCsv(server, csv);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/31 readings stored/);
    const rows = await server.runtime.store.countRows(STATION);
    expect(rows).toBe(31 * 3); // temp_c, interval_s and rain_mm
    const again = await importCsv(server, csv);
    expect(again.status, again.stderr).toBe(0);
    expect(await server.runtime.store.countRows(STATION)).toBe(rows);
    const stats = await server.get<{ duplicates_ignored: number }>('/api/ingest/stats');
    expect(stats.duplicates_ignored).toBeGreaterThanOrEqual(31 * 3);
  });

  it('gives the energy experiment measured temperatures instead of normals', async () => {
    const body = await server.get<{ temperature?: { kind: string; coverage: { imported_days: number }[] } }>(
      `/api/experiments/school-retrofit/effects?to=${Date.parse('2026-02-01T00:00:00+04:00')}`,
    );
    expect(body.temperature?.kind).toBe('station');
    expect(body.temperature?.coverage[0]?.imported_days).toBe(31);
  });

  it('refuses a file it cannot read, an unknown station, and a user without the import permission', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'when,what\n1,2\n');
    const refused = await importCsv(server, bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/no time column/);
    const unknown = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/weather-import.ts', csv, '--station', 'bin-nikea-01', '--dry-run'],
      { encoding: 'utf8' },
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/not a weather device/);
    const viewer = await server.fetch(
      '/api/ingest/batch',
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}\n' },
      'viewer',
    );
    expect(viewer.status).toBe(403);
  });
});
