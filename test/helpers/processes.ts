/** Child processes for crash tests: the server and a stand-alone broker, each a single Node process (no tsx wrapper) so that SIGKILL hits the process itself. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, waitFor } from './brokers.js';

export function spawnServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    // The child uses the embedded DuckDB store unless the test says otherwise, even where CI exports INFLUX_URL.
    env: { ...process.env, INFLUX_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[server ${child.pid}] ${chunk.toString()}`),
  );
  return child;
}

export async function waitForHealthy(httpUrl: string): Promise<void> {
  await waitFor(`${httpUrl}/api/health to answer ok`, async () => {
    const response = await fetch(`${httpUrl}/api/health`);
    const body = (await response.json()) as { status: string };
    return body.status === 'ok' ? true : undefined;
  });
}

export async function startAedesProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/aedes-process.ts', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitFor('the aedes process to listen', async () =>
    (child.stdout?.read() as Buffer | null)?.toString().includes('ready') ? true : undefined,
  );
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess(child, 'SIGTERM');
    },
  };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}
