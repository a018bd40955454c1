import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../store-contract.js';
import { DuckDbStore } from './duckdb-store.js';

describeStoreContract(
  'DuckDB',
  async () => new DuckDbStore(join(mkdtempSync(join(tmpdir(), 'kutaisi-duck-')), 'telemetry.duckdb')),
);

describe('DuckDbStore points', () => {
  it('gives each device its points in time order, readings stored late and interleaved devices included', async () => {
    const store = new DuckDbStore(':memory:');
    await store.open();
    const base = 1_790_000_000_000;
    const reading = (device: string, minute: number) => ({
      device,
      domain: 'waste' as const,
      site: 's',
      ts: base + minute * 60_000,
      seq: minute,
      metrics: { fill: minute / 1000 },
      simulated: false,
      receivedAt: 0,
    });
    // Two bins in step, then each bin's missing minutes in batches that arrive late, newest first.
    const minutes = Array.from({ length: 300 }, (_, i) => i);
    const onTime = minutes.filter((m) => m % 7 !== 3);
    const late = minutes.filter((m) => m % 7 === 3).reverse();
    await store.write(onTime.flatMap((m) => [reading('bin-a', m), reading('bin-b', m)]));
    for (let i = 0; i < late.length; i += 5)
      await store.write(late.slice(i, i + 5).flatMap((m) => [reading('bin-b', m), reading('bin-a', m)]));
    const loaded = await store.points({
      devices: ['bin-b', 'bin-a', 'bin-none'],
      metrics: ['fill'],
      from: base + 10 * 60_000,
      to: base + 290 * 60_000,
    });
    const expected = minutes.filter((m) => m >= 10 && m < 290);
    for (const device of ['bin-a', 'bin-b']) {
      expect(loaded.get(device)?.t).toEqual(expected.map((m) => base + m * 60_000));
      expect(loaded.get(device)?.values.fill).toEqual(expected.map((m) => m / 1000));
    }
    expect(loaded.has('bin-none')).toBe(false);
    await store.close();
  });
});

describe('DuckDbStore persistence', () => {
  it('tells new rows from re-delivered ones', async () => {
    const store = new DuckDbStore(':memory:');
    await store.open();
    const r = {
      device: 'bin-x',
      domain: 'waste' as const,
      site: 's',
      ts: 1_790_000_000_000,
      seq: 1,
      metrics: { fill: 0.4, temp_c: 9 },
      simulated: false,
      receivedAt: 0,
    };
    expect(await store.write([r, r])).toEqual({ inserted: 2, duplicates: 2 });
    expect(await store.write([r])).toEqual({ inserted: 0, duplicates: 2 });
    await store.close();
  });

  it('keeps rows across a close and re-open of the same file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kutaisi-duck-')), 'telemetry.duckdb');
    const first = new DuckDbStore(file);
    await first.open();
    await first.write([
      {
        device: 'bin-x',
        domain: 'waste',
        site: 's',
        ts: 1_790_000_000_000,
        seq: 1,
        metrics: { fill: 0.4 },
        simulated: false,
        receivedAt: 0,
      },
    ]);
    await first.close();
    const second = new DuckDbStore(file);
    await second.open();
    expect(await second.countRows()).toBe(1);
    await second.close();
  });

  it('does not keep the memory of staged rows: many batches leave no in-memory table behind', async () => {
    const store = new DuckDbStore(join(mkdtempSync(join(tmpdir(), 'kutaisi-duck-')), 'telemetry.duckdb'));
    await store.open();
    const base = 1_790_000_000_000;
    for (let batch = 0; batch < 40; batch++) {
      await store.write(
        Array.from({ length: 2_000 }, (_, i) => ({
          device: `bin-${i}`,
          domain: 'waste' as const,
          site: 's',
          ts: base + batch * 60_000,
          seq: batch,
          metrics: { fill: 0.4, battery_v: 3.6, temp_c: 9 },
          simulated: true,
          receivedAt: 0,
        })),
      );
    }
    expect(await store.countRows()).toBe(240_000);
    // The series aggregates build in the background from the first write; done, they hold no temporary table.
    await store.refreshAggregates();
    // Once checkpointed the readings live in the file; deleted staging rows used to stay (about 20 MB here).
    await (store as unknown as { writer: { run(sql: string): Promise<unknown> } }).writer.run('CHECKPOINT');
    const memory = await store.memoryByTag();
    expect(memory.IN_MEMORY_TABLE ?? 0).toBeLessThan(2_000_000);
    await store.close();
  });
});
