/**
 * The simulators under per-device ACLs: with a device key every simulated device connects as
 * itself (live, load and backfill mode) and its readings are stored; without one, or with the
 * wrong one, the authenticated embedded broker refuses them and the simulators fail fast.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Registry } from '../../server/src/config/registry.js';
import { parseCli, UsageError } from '../../simulators/src/cli-args.js';
import { Fleet } from '../../simulators/src/fleet.js';
import { startLiveFleet } from '../../simulators/src/live.js';
import { runLoad } from '../../simulators/src/load.js';
import { PerDeviceSender } from '../../simulators/src/mqtt-io.js';
import { waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { DEVICE_KEY } from './device-acl-helpers.js';

let server: ServerUnderTest;
let registry: Registry;
const refusals = () => server.runtime.brokerAuth?.connects_refused.total ?? NaN;

beforeAll(async () => {
  server = await startServerUnderTest(undefined, { DEVICE_KEY });
  // The registry the server under test loads.
  registry = loadRegistry('config/portfolio.yaml');
}, 60_000);

afterAll(async () => {
  await server?.runtime.stop();
});

async function storedDevices(): Promise<number> {
  let count = 0;
  for (const id of registry.devices.keys()) if ((await server.runtime.store.countRows(id)) > 0) count += 1;
  return count;
}

describe('simulators with per-device credentials', () => {
  it('live mode: every device of the portfolio connects as itself and is stored', async () => {
    const before = refusals();
    const fleet = await startLiveFleet({
      registry,
      mqttUrl: server.runtime.mqttUrl,
      topicRoot: server.topicRoot,
      deviceKey: DEVICE_KEY,
      speed: 600,
      seed: 3,
    });
    try {
      await waitFor('a stored reading of every device', async () =>
        (await storedDevices()) === registry.devices.size ? true : undefined,
      );
    } finally {
      await fleet.stop();
    }
    expect(refusals()).toBe(before);
  }, 60_000);

  it('live mode without the device key is refused at once', async () => {
    await expect(
      startLiveFleet({
        registry,
        mqttUrl: server.runtime.mqttUrl,
        topicRoot: server.topicRoot,
        speed: 60,
        seed: 1,
      }),
    ).rejects.toThrow(/Not authorized/i);
  });

  it('load mode: one connection per device, every publish acknowledged', async () => {
    const sender = new PerDeviceSender(
      { url: server.runtime.mqttUrl, deviceKey: DEVICE_KEY },
      `load-${process.pid}`,
    );
    const fleet = new Fleet({ registry, seed: 5, topicRoot: server.topicRoot });
    fleet.start(Date.now());
    const result = await runLoad({ sender, fleet, rate: 200, durationS: 1 });
    const connections = sender.connections;
    await sender.close();
    expect(result.errors).toBe(0);
    expect(result.acknowledged).toBe(result.published);
    expect(result.published).toBeGreaterThanOrEqual(200);
    expect(connections).toBe(registry.devices.size);
  }, 30_000);

  it('load mode with a wrong key fails every publish quickly instead of hanging', async () => {
    const before = refusals();
    const sender = new PerDeviceSender(
      { url: server.runtime.mqttUrl, deviceKey: 'not-the-key-of-this-broker' },
      `bad-${process.pid}`,
    );
    const fleet = new Fleet({ registry, seed: 6, topicRoot: server.topicRoot });
    fleet.start(Date.now());
    const started = Date.now();
    const result = await runLoad({ sender, fleet, rate: 100, durationS: 1, drainTimeoutMs: 5_000 });
    await sender.close();
    expect(result.acknowledged).toBe(0);
    expect(result.errors).toBe(result.published);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(refusals()).toBeGreaterThan(before);
  }, 30_000);

  it('backfill through the CLI with --device-key stores the readings', async () => {
    const device = 'meter-school-centre';
    const before = await server.runtime.store.countRows(device);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'simulators/src/cli.ts',
        '--mqtt',
        server.runtime.mqttUrl,
        '--topic-root',
        server.topicRoot,
        '--from',
        String(Date.now() - 2 * 3_600_000),
        '--to',
        String(Date.now() - 3_600_000),
        '--device-key',
        DEVICE_KEY,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEVICE_KEY: '' } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
    const acked = Number(/backfill: (\d+) messages acknowledged/.exec(stderr)?.[1]);
    expect(acked).toBeGreaterThan(22);
    await waitFor(`backfilled rows of ${device}`, async () =>
      (await server.runtime.store.countRows(device)) > before ? true : undefined,
    );
  }, 60_000);
});

describe('simulator options', () => {
  it('take the device key from --device-key or DEVICE_KEY and refuse a short one', () => {
    expect(parseCli(['--device-key', DEVICE_KEY], {}).deviceKey).toBe(DEVICE_KEY);
    expect(parseCli([], { DEVICE_KEY }).deviceKey).toBe(DEVICE_KEY);
    expect(parseCli([], {}).deviceKey).toBeUndefined();
    expect(() => parseCli(['--device-key', 'short'], {})).toThrow(UsageError);
  });
});
