import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { Fleet } from './fleet.js';
import { runLoad } from './load.js';
import { connectBroker, sharedSender } from './mqtt-io.js';
import { testBroker, type TestBroker } from './test-broker.js';

let broker: TestBroker | undefined;
let skip = '';

beforeAll(async () => {
  const found = await testBroker();
  if ('skip' in found) skip = found.skip;
  else broker = found;
  if (skip) console.warn(`SKIPPING load-mode test: ${skip}`);
});

afterAll(async () => {
  await broker?.close();
});

describe('load mode', () => {
  it('holds 2,000 readings/s for 3 s within ±5 % and reports the rate achieved', async (ctx) => {
    if (!broker) {
      console.warn(`SKIPPED load-mode test: ${skip}`);
      ctx.skip();
      return;
    }
    const client = await connectBroker({ url: broker.url }, { clientId: `load-test-${process.pid}` });
    try {
      const fleet = new Fleet({
        registry: loadRegistry(DEFAULT_PORTFOLIO),
        seed: 1,
        sizes: { waste: 200, mobility: 20, energy: 30 },
      });
      fleet.start(Date.now());
      const result = await runLoad({ sender: sharedSender(client), fleet, rate: 2000, durationS: 3 });
      console.info(`load mode against ${broker.url}: ${JSON.stringify(result)}`);
      expect(result.errors).toBe(0);
      expect(result.acknowledged).toBe(result.published);
      expect(result.published).toBeGreaterThanOrEqual(6000);
      expect(Math.abs(result.achieved_rate / 2000 - 1)).toBeLessThanOrEqual(0.05);
      expect(result.deviation).toBeCloseTo(result.achieved_rate / 2000 - 1, 3);
    } finally {
      await client.endAsync();
    }
  }, 30_000);
});
