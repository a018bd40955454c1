/**
 * Start-up that fails half-way stops what it had started. The runtime starts its parts in order
 * (auth, store, broker, live state, alerts, cluster, hub, ingest, HTTP, timers); when one fails, the
 * ones before it are stopped in reverse. Checked from outside: every timer, socket and server handle
 * created while starting is gone afterwards (async_hooks sees unref'd timers too, which
 * process.getActiveResourcesInfo() does not), the process holds no file under the data folder, and
 * nothing more holds the event loop than before.
 */
import { createHook } from 'node:async_hooks';
import { existsSync, mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../server/src/config/portfolio.js';
import { loadSettings } from '../server/src/config/settings.js';
import { startRuntime } from '../server/src/runtime.js';
import { uniqueName } from './helpers/brokers.js';

/** Resource types that hold the event loop or an OS handle (promises and one-shot callbacks aside). */
const TRACKED =
  /^(Timeout|Immediate|TCPWRAP|TCPSERVERWRAP|PIPEWRAP|PIPESERVERWRAP|FILEHANDLE|FSEVENTWRAP|UDPWRAP|STATWATCHER)$/;

interface Leak {
  type: string;
  stack: string;
  /** A FileHandle lingers as a resource until it is garbage-collected, closed (fd < 0) or not. */
  handle?: WeakRef<{ fd?: number }>;
}

/** Runs `action` and returns the tracked resources it created that are still alive once it has settled. */
async function resourcesLeftBy(action: () => Promise<unknown>): Promise<Leak[]> {
  const alive = new Map<number, Leak>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (!TRACKED.test(type)) return;
      const stack = (new Error().stack ?? '').split('\n').slice(3, 9).join('\n');
      const handle = type === 'FILEHANDLE' ? new WeakRef(resource) : undefined;
      alive.set(asyncId, { type, stack, ...(handle ? { handle } : {}) });
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  });
  hook.enable();
  try {
    await action().catch(() => undefined);
    // Closing sockets and servers finishes on later turns of the event loop.
    for (let i = 0; i < 20 && alive.size > 0; i++)
      await new Promise((resolve) => alive.delete(Number(setTimeout(resolve, 25))));
  } finally {
    hook.disable();
  }
  return [...alive.values()].filter((leak) => !leak.handle || (leak.handle.deref()?.fd ?? -1) >= 0);
}

/** Paths under `folder` that this process has open (Linux; empty elsewhere). */
function openFilesUnder(folder: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(folder)) out.push(target);
    } catch {
      // Closed between the listing and the readlink.
    }
  }
  return out;
}

function countByType(types: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of types) out[type] = (out[type] ?? 0) + 1;
  return out;
}

describe('start-up that fails half-way', () => {
  const registry = loadRegistry('config/portfolio.yaml');
  let occupied: Server;
  let occupiedPort: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    occupiedPort = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  const settingsWith = (dataDir: string, env: Record<string, string>) =>
    loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_EMBEDDED_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MQTT_CLIENT_ID: uniqueName('rollback'),
      MQTT_TOPIC_ROOT: `${uniqueName('rollback')}/v1`,
      ADMIN_PASSWORD: 'rollback-test-password',
      ...env,
    });

  it.each([
    ['the HTTP port is taken', { PORT: 'occupied' }, /^PORT: cannot listen on 127\.0\.0\.1:/],
    [
      'the embedded broker port is taken',
      { MQTT_EMBEDDED_PORT: 'occupied' },
      /^MQTT_EMBEDDED_PORT: cannot start/,
    ],
  ])('%s: no timer, socket or file handle is left behind', async (_name, env, message) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-rollback-'));
    const resolved = Object.fromEntries(
      Object.entries(env).map(([key, value]) => [key, value === 'occupied' ? String(occupiedPort) : value]),
    );
    const settings = settingsWith(dataDir, resolved);
    const before = countByType(process.getActiveResourcesInfo());
    let failure: unknown;
    const leaks = await resourcesLeftBy(() =>
      startRuntime(settings, registry, join(process.cwd(), 'dashboard/dist')).then(
        async (runtime) => {
          await runtime.stop();
          throw new Error('expected start-up to fail');
        },
        (error: unknown) => {
          failure = error;
        },
      ),
    );
    expect((failure as Error | undefined)?.message).toMatch(message);
    expect(leaks.map((l) => `${l.type}\n${l.stack}`)).toEqual([]);
    expect(openFilesUnder(dataDir)).toEqual([]);
    // Nothing more holds the event loop than before (a timer of the test runner may have ended meanwhile).
    const after = countByType(process.getActiveResourcesInfo());
    for (const [type, count] of Object.entries(after))
      expect(count, type).toBeLessThanOrEqual(before[type] ?? 0);
  });
});
