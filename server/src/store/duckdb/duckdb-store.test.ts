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
});
