/**
 * The product as `npm run demo` starts it (server/src/main.ts with DEMO=1, the same demo-mode code),
 * as a child process on its own ports and data folder: for the demo's browser test and the README's
 * screenshots (scripts/screenshots.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { DEMO_ADMIN_PASSWORD } from '../../server/src/auth/auth-settings.js';
import { freePort, uniqueName, waitFor } from '../helpers/brokers.js';
import { spawnServer, stopProcess } from '../helpers/processes.js';
import { login } from '../helpers/server-under-test.js';

export interface HistoryHealth {
  state: 'loading' | 'done' | 'failed';
  percent: number;
  readings: number;
  from: string | null;
}

export interface DemoProduct {
  url: string;
  child: ChildProcess;
  /** Log lines (pino's msg) so far. */
  lines: string[];
  history(): Promise<HistoryHealth | undefined>;
  /** Resolves once the history is stored and the live fleet publishes; its readings. */
  historyDone(timeoutMs: number): Promise<HistoryHealth>;
  adminToken(): Promise<string>;
  stop(): Promise<void>;
}

export async function startDemoProduct(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<DemoProduct> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnServer({
    DEMO: '1',
    PORT: String(port),
    MQTT_EMBEDDED_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    MQTT_CLIENT_ID: uniqueName('demo'),
    ...env,
    // historyDone() reads the demo's own info lines.
    LOG_LEVEL: 'info',
  });
  const lines: string[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(String((JSON.parse(line) as { msg?: unknown }).msg));
      } catch {
        lines.push(line);
      }
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`the demo exited (${code}): ${lines.slice(-5).join(' | ')}`)),
    ),
  );
  exited.catch(() => undefined);
  const history = async () => {
    const body = (await (await fetch(`${url}/api/health`)).json()) as { history?: HistoryHealth };
    return body.history;
  };
  await Promise.race([
    waitFor(
      'the demo to answer',
      async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined),
      60_000,
    ),
    exited,
  ]);
  return {
    url,
    child,
    lines,
    history,
    historyDone: async (timeoutMs) => {
      const done = await Promise.race([
        waitFor(
          'the simulated history and the live fleet',
          async () => {
            const h = await history();
            if (h?.state === 'failed') throw new Error('the history failed');
            return h?.state === 'done' && lines.some((l) => l.includes('simulated fleet of')) ? h : undefined;
          },
          timeoutMs,
          500,
        ),
        exited,
      ]);
      return done;
    },
    adminToken: () => login(url, 'admin', DEMO_ADMIN_PASSWORD),
    stop: async () => {
      await stopProcess(child, 'SIGINT');
    },
  };
}
