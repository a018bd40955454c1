/**
 * Manual load test of the live hub (not part of `npm test`): N WebSocket clients on /ws while the
 * simulator's load mode publishes R readings/s. Reports the delay of each delta frame (receive time −
 * the frame's server `at`; both clocks are this machine's), the longest silence any client saw,
 * frames per client, and the server's CPU from /api/live/stats.
 *
 *   npx tsx test/load/ws-fanout.ts [--clients 500] [--rate 2000] [--duration 20] [--portfolio FILE]
 *                                  [--json FILE]   (also write the report there, for `npm run bench`)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freePort } from '../helpers/brokers.js';
import { login } from '../helpers/server-under-test.js';

/** A throw-away server on loopback; every client shares the admin's one session. */
const LOAD_ADMIN_PASSWORD = 'load-test-admin-password';
let headers: Record<string, string> = {};

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '20' },
    portfolio: { type: 'string', default: 'config/portfolio.yaml' },
    json: { type: 'string' },
  },
});
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);

interface ClientStats {
  frames: number;
  delays: number[];
  lastAt: number;
  maxGap: number;
  closed: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : NaN;

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function cpu(url: string): Promise<{ us: number; at: number; stats: Record<string, number> }> {
  const stats = (await (await fetch(`${url}/api/live/stats`, { headers })).json()) as Record<string, number>;
  return { us: (stats.cpu_user_us ?? 0) + (stats.cpu_system_us ?? 0), at: performance.now(), stats };
}

function run(command: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function main(): Promise<void> {
  const [port, mqttPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const server = run(['server/src/main.ts'], {
    PORT: String(port),
    MQTT_EMBEDDED_PORT: String(mqttPort),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kutaisi-load-')),
    PORTFOLIO: args.portfolio,
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: LOAD_ADMIN_PASSWORD,
    // 500 handshakes from one address in a second are the point here, not an attack.
    RATE_LIMIT_MAX: '0',
  });
  try {
    await waitForHealth(url);
    headers = { authorization: `Bearer ${await login(url, 'admin', LOAD_ADMIN_PASSWORD)}` };
    const clients: ClientStats[] = [];
    for (let i = 0; i < CLIENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - i) }, () => {
          const stats: ClientStats = { frames: 0, delays: [], lastAt: 0, maxGap: 0, closed: false };
          clients.push(stats);
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
          ws.on('message', (data: Buffer) => {
            const now = Date.now();
            // Only the head is parsed: the test must not become the bottleneck it measures.
            const head = /^\{"type":"delta","at":(\d+)/.exec(data.toString('latin1', 0, 48));
            if (!head) return;
            stats.delays.push(now - Number(head[1]));
            if (stats.lastAt) stats.maxGap = Math.max(stats.maxGap, now - stats.lastAt);
            stats.lastAt = now;
            stats.frames++;
          });
          ws.on('close', () => (stats.closed = true));
          return new Promise((resolve) => ws.once('open', resolve));
        }),
      );
    }
    process.stderr.write(`${CLIENTS} clients connected; publishing ${RATE} readings/s for ${DURATION_S} s\n`);
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of clients) Object.assign(c, { frames: 0, delays: [], lastAt: 0, maxGap: 0 });

    const before = await cpu(url);
    const sim = run(
      [
        'simulators/src/cli.ts',
        '--rate',
        String(RATE),
        '--duration',
        String(DURATION_S),
        '--mqtt',
        `mqtt://127.0.0.1:${mqttPort}`,
        '--portfolio',
        args.portfolio,
      ],
      {},
    );
    await new Promise((resolve) => sim.once('exit', resolve));
    const after = await cpu(url);
    const elapsedS = (after.at - before.at) / 1000;

    const delays = clients.flatMap((c) => c.delays).sort((a, b) => a - b);
    const frames = clients.map((c) => c.frames).sort((a, b) => a - b);
    const report = {
      clients: CLIENTS,
      rate: RATE,
      duration_s: DURATION_S,
      frames_total: delays.length,
      frames_per_client: { min: frames[0], median: percentile(frames, 50), max: frames[frames.length - 1] },
      starved_clients: clients.filter((c) => c.frames === 0).length,
      closed_clients: clients.filter((c) => c.closed).length,
      frame_delay_ms: {
        p50: percentile(delays, 50),
        p99: percentile(delays, 99),
        max: delays[delays.length - 1],
      },
      longest_gap_between_frames_ms: Math.max(...clients.map((c) => c.maxGap)),
      server_cpu_percent_of_one_core: Math.round(((after.us - before.us) / 1e6 / elapsedS) * 1000) / 10,
      server_rss_mb: Math.round((after.stats.rss_bytes ?? 0) / 1e6),
      hub: {
        skipped: (after.stats.skipped ?? 0) - (before.stats.skipped ?? 0),
        dropped: after.stats.dropped,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (args.json) writeFileSync(args.json, JSON.stringify(report));
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ws-fanout: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
