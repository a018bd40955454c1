/** What the benchmark runs on: its own Mosquitto, the server as a child process, portfolios of any size. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../server/src/config/portfolio.js';
import { expandedPortfolio, portfolioYaml } from '../simulators/src/fleet-devices.js';
import { freePort, waitFor } from '../test/helpers/brokers.js';
import { login } from '../test/helpers/server-under-test.js';

/** The bench server's admin password: a throw-away server on loopback. */
const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

export const has = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
const madeDirs: string[] = [];
/** A private folder under the system's temp folder, removed when the bench exits (a year of evidence is 2 GB). */
export const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `kutaisi-bench-${name}-`));
  if (madeDirs.length === 0)
    process.on('exit', () => {
      for (const made of madeDirs) rmSync(made, { recursive: true, force: true });
    });
  madeDirs.push(dir);
  return dir;
};

export async function startMosquitto(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = tempDir('mosquitto');
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_inflight_messages 10000',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const url = `mqtt://127.0.0.1:${port}`;
  await waitFor(
    'mosquitto',
    async () =>
      spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'bench/ping', '-m', 'x'])
        .status === 0
        ? true
        : undefined,
    10_000,
  );
  return { url, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

/** A portfolio with the given number of bins (and the portfolio's counters and meters), written to a temporary file. */
export function portfolioWithBins(bins: number, extra: { mobility?: number; energy?: number } = {}): string {
  const registry = loadRegistry('config/portfolio.yaml');
  // The portfolio's own bins come first; the synthetic ones (sim-bin-000001 …) are what the publisher addresses.
  const ownBins = registry.portfolio.devices.filter((d) => d.domain === 'waste').length;
  const portfolio = expandedPortfolio(registry, {
    waste: ownBins + bins,
    mobility: extra.mobility ?? 4,
    energy: extra.energy ?? 6,
  });
  // Large fleets as JSON, which the server parses far more cheaply than YAML; small ones as YAML, like the city's own file.
  const asJson = bins > 5_000;
  const file = join(tempDir('portfolio'), asJson ? 'portfolio.json' : 'portfolio.yaml');
  writeFileSync(file, asJson ? JSON.stringify(portfolio) : portfolioYaml(portfolio));
  return file;
}

export interface ServerProcess {
  url: string;
  clientId: string;
  /** Send with every API request and the WebSocket handshake. */
  headers: { authorization: string };
  child: ChildProcess;
  stats(): Promise<{ stored: number; received: number; pending: number }>;
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const clientId = `bench-ingest-${port}`;
  // For experiments: BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to each server's node.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      INFLUX_URL: '',
      INFLUX_API: '',
      PORT: String(port),
      MQTT_EMBEDDED_PORT: '0',
      DATA_DIR: tempDir('data'),
      LOG_LEVEL: 'warn',
      MQTT_CLIENT_ID: clientId,
      ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      // The queries measure the server's work, not the rate limiter's refusals.
      RATE_LIMIT_MAX: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exitedEarly = once(child, 'exit').then(([code]) => {
    throw new Error(`the server exited with code ${String(code)} during start-up`);
  });
  exitedEarly.catch(() => undefined);
  await Promise.race([
    exitedEarly,
    waitFor(
      'the server to answer',
      async () =>
        ((await (await fetch(`${url}/api/health`)).json()) as { status: string }).status === 'ok'
          ? true
          : undefined,
      120_000,
      200,
    ),
  ]);
  const headers = { authorization: `Bearer ${await login(url, 'admin', BENCH_ADMIN_PASSWORD)}` };
  // Start-up work (restoring live state and baselines from the store) is not what is measured.
  await new Promise((r) => setTimeout(r, 3000));
  return {
    url,
    clientId,
    headers,
    child,
    stats: async () =>
      (await (await fetch(`${url}/api/ingest/stats`, { headers })).json()) as {
        stored: number;
        received: number;
        pending: number;
      },
    rssMb: () => rssMb(child.pid),
    stop: () => stopChild(child),
  };
}

export function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time (user + system) a live process has used so far, from /proc; 0 when it is gone. */
export function cpuMs(pid: number | string | undefined): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}
/** CPU time of a process's main thread (its JavaScript, and what runs on it), in ms; 0 when unknown. */
export function mainThreadCpuMs(pid: number | undefined): number {
  // The main thread's id is the process id: /proc/<pid>/task/<pid>/stat has the same layout.
  return pid === undefined ? 0 : cpuMs(`${pid}/task/${pid}`);
}

/**
 * CPU time per thread group of a live process, in ms, by the threads' names in /proc: `main` (the
 * JavaScript thread), `v8` (V8's workers: concurrent garbage collection and compilation), `libuv`
 * (the pool that runs DuckDB's calls, and DuckDB's own threads, which start from it and keep its
 * name) and `other`. Threads that ended before the call are missing from every group.
 */
export function threadGroupCpuMs(pid: number | undefined): Record<string, number> {
  const groups: Record<string, number> = { main: 0, v8: 0, libuv: 0, other: 0 };
  if (pid === undefined) return groups;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return groups;
  }
  for (const task of tasks) {
    let name = '';
    try {
      name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const group =
      task === String(pid)
        ? 'main'
        : name.startsWith('V8')
          ? 'v8'
          : name.startsWith('libuv')
            ? 'libuv'
            : 'other';
    groups[group] = (groups[group] ?? 0) + cpuMs(`${pid}/task/${task}`);
  }
  return groups;
}

/** Linux's USER_HZ, which /proc reports CPU time in; 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_S = 100;

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface PublishResult {
  published: number;
  acked: number;
  startedAt: number;
  finishedAt: number;
  rate: number;
  /** The publisher's own CPU time over the run. */
  cpuMs: number;
}

export async function publish(options: {
  url: string;
  root?: string;
  bins: number;
  count: number;
  rate: number;
  clock: 'wall' | 'past';
  from?: number;
}): Promise<PublishResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/publisher.ts', JSON.stringify({ root: 'kutaisi/v1', ...options })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`publisher exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as PublishResult;
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN)
    : NaN;
};
