import { describe, expect, it } from 'vitest';
import type { Reading } from '../contract/index.js';
import type { TelemetryStore, WriteResult } from '../store/port.js';
import { StoreWriter } from './store-writer.js';

function reading(seq: number): Reading {
  return {
    device: 'bin-x',
    domain: 'waste',
    site: 's',
    ts: 1_790_000_000_000 + seq,
    seq,
    metrics: { fill: 0.1 },
    simulated: false,
    receivedAt: 0,
  };
}

/** A store double whose writes can be made to fail, recording every batch it accepted. */
function fakeStore(failFirst: number) {
  const batches: number[][] = [];
  let failures = failFirst;
  const store = {
    write: async (readings: readonly Reading[]): Promise<WriteResult> => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (failures > 0) {
        failures -= 1;
        throw new Error('store down');
      }
      batches.push(readings.map((r) => r.seq ?? -1));
      return { inserted: readings.length, duplicates: 0 };
    },
  } as unknown as TelemetryStore;
  return { store, batches };
}

describe('StoreWriter', () => {
  it('acknowledges in arrival order only after the batch holding each message is written', async () => {
    const { store, batches } = fakeStore(0);
    const acks: string[] = [];
    const writer = new StoreWriter(store, { batchSize: 3, flushMs: 5, highWater: 100 });
    writer.add(reading(1), () => acks.push(`r1:${batches.length}`));
    writer.addAckOnly(() => acks.push(`x:${batches.length}`));
    writer.add(reading(2), () => acks.push(`r2:${batches.length}`));
    writer.add(reading(3), () => acks.push(`r3:${batches.length}`));
    expect(acks).toEqual([]);
    await writer.close();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(acks).toEqual(['r1:1', 'x:1', 'r2:1', 'r3:2']);
  });

  it('retries a failed write and acknowledges nothing until it succeeds', async () => {
    const { store, batches } = fakeStore(3);
    const acks: number[] = [];
    const errors: number[] = [];
    const writer = new StoreWriter(
      store,
      { batchSize: 10, flushMs: 1, highWater: 100, retryMinMs: 2 },
      { onWriteError: (_e, attempt) => errors.push(attempt) },
    );
    writer.add(reading(1), () => acks.push(1));
    await new Promise((resolve) => setTimeout(resolve, 4));
    expect(acks).toEqual([]);
    await writer.close();
    expect(errors).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1]]);
    expect(acks).toEqual([1]);
  });

  it('leaves messages unacknowledged when it is closed while the store keeps failing', async () => {
    const { store } = fakeStore(Number.POSITIVE_INFINITY);
    const acks: number[] = [];
    const writer = new StoreWriter(store, {
      batchSize: 10,
      flushMs: 1,
      highWater: 100,
      retryMinMs: 2,
      retryMaxMs: 5,
    });
    writer.add(reading(1), () => acks.push(1));
    await writer.close(50);
    expect(acks).toEqual([]);
    expect(writer.isRetrying).toBe(true);
  });

  it('holds intake above the high-water mark until a batch is written', async () => {
    const { store } = fakeStore(0);
    const writer = new StoreWriter(store, { batchSize: 2, flushMs: 50, highWater: 2 });
    writer.add(reading(1), () => undefined);
    writer.add(reading(2), () => undefined);
    let accepted = false;
    const waiting = writer.whenAccepting().then(() => (accepted = true));
    expect(accepted).toBe(false);
    await waiting;
    expect(writer.pending).toBe(0);
    await writer.close();
  });
});
