/**
 * (4) WebSocket fan-out: N dashboard sockets on one server while readings stream in; the delay of
 * every delta frame (receive time − the frame's server `at`). Runs the manual load test
 * (test/load/ws-fanout.ts) as a child so the clients and the server are separate processes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './env.js';

export interface FanOut {
  clients: number;
  rate: number;
  frames_total: number;
  starved_clients: number;
  closed_clients: number;
  p50_ms: number;
  p99_ms: number;
  server_cpu_percent_of_one_core: number;
  server_rss_mb: number;
}

interface LoadReport {
  frames_total: number;
  starved_clients: number;
  closed_clients: number;
  frame_delay_ms: { p50: number; p99: number };
  server_cpu_percent_of_one_core: number;
  server_rss_mb: number;
}

export async function fanOut(clientCounts: number[], rate: number, seconds: number): Promise<FanOut[]> {
  const results: FanOut[] = [];
  for (const clients of clientCounts) {
    const file = join(tempDir('fanout'), 'report.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/load/ws-fanout.ts',
        ...['--clients', String(clients), '--rate', String(rate), '--duration', String(seconds)],
        ...['--json', file],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`ws-fanout with ${clients} clients exited with ${String(code)}`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as LoadReport;
    results.push({
      clients,
      rate,
      frames_total: report.frames_total,
      starved_clients: report.starved_clients,
      closed_clients: report.closed_clients,
      p50_ms: report.frame_delay_ms.p50,
      p99_ms: report.frame_delay_ms.p99,
      server_cpu_percent_of_one_core: report.server_cpu_percent_of_one_core,
      server_rss_mb: report.server_rss_mb,
    });
  }
  return results;
}
