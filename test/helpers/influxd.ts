/** A private influxd (Debian's influxdb 1.x) on loopback ports with its data in a temporary folder, which a test may stop and start. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './brokers.js';
import { stopProcess } from './processes.js';

export function binaryAvailable(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export interface Influxd {
  url: string;
  /** Its folder: meta/, data/ and wal/ beside the configuration. */
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createInfluxd(): Promise<Influxd> {
  const dir = mkdtempSync(join(tmpdir(), 'kutaisi-influxd-'));
  const httpPort = await freePort();
  const rpcPort = await freePort();
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  return {
    url,
    dir,
    start: async () => {
      child = spawn('influxd', ['-config', config], { stdio: 'ignore' });
      await waitFor(
        'influxd to answer /ping',
        async () => ((await fetch(`${url}/ping`)).status === 204 ? true : undefined),
        30_000,
      );
    },
    stop: async () => {
      if (child) await stopProcess(child, 'SIGTERM');
      child = undefined;
    },
  };
}

/** InfluxQL straight to the server, bypassing the product: what an operator with Grafana would see. */
export async function influxql(
  url: string,
  database: string,
  q: string,
): Promise<{ columns: string[]; values: unknown[][]; tags?: Record<string, string> }[]> {
  const response = await fetch(
    `${url}/query?${new URLSearchParams({ db: database, q, epoch: 'ms' }).toString()}`,
  );
  const body = (await response.json()) as {
    results: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[];
  };
  const first = body.results[0];
  if (first?.error) throw new Error(first.error);
  return first?.series ?? [];
}
