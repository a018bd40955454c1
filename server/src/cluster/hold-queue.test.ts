import { describe, expect, it } from 'vitest';
import { HoldQueue, type HeldItem } from './hold-queue.js';

const reading = (device: string, ts: number, receivedAt: number): HeldItem => ({
  kind: 'reading',
  value: {
    device,
    domain: 'waste',
    site: 's',
    ts,
    seq: ts,
    metrics: { fill: 0.5 },
    simulated: false,
    receivedAt,
  },
});
const ts = (items: HeldItem[]) => items.map((i) => i.value.ts);

describe('HoldQueue', () => {
  it('releases what is due in timestamp order, whoever ingested it', () => {
    const queue = new HoldQueue(200);
    // Here at 1000: reading 3 of the device; the peer's reading 2 (received at 1001) arrives at 1030.
    queue.push(reading('bin', 3, 1000), 1000, 1000);
    queue.push(reading('bin', 2, 1001), 1001, 1030);
    expect(queue.release(1150)).toEqual([]);
    expect(ts(queue.release(1201))).toEqual([2, 3]);
    expect(queue.size).toBe(0);
  });

  it('holds each item from when its ingesting instance received it, never longer than the hold after arrival', () => {
    const queue = new HoldQueue(200);
    queue.push(reading('a', 1, 1000), 1000, 1000);
    // A peer whose clock runs 5 s ahead: held 200 ms from arrival, not 5.2 s.
    queue.push(reading('b', 2, 6000), 6000, 1010);
    // A peer whose clock runs behind: already due.
    queue.push(reading('c', 3, 500), 500, 1020);
    expect(ts(queue.release(1020))).toEqual([3]);
    expect(ts(queue.release(1200))).toEqual([1]);
    expect(ts(queue.release(1210))).toEqual([2]);
  });

  it('keeps arrival order for equal timestamps and gives up everything on shutdown', () => {
    const queue = new HoldQueue(1000);
    queue.push({ kind: 'status', value: { device: 'x', domain: 'waste', state: 'lost', ts: 5 } }, 0, 0);
    queue.push(reading('x', 5, 0), 0, 0);
    queue.push(reading('x', 4, 0), 0, 0);
    expect(queue.releaseAll().map((i) => `${i.kind}@${i.value.ts}`)).toEqual([
      'reading@4',
      'status@5',
      'reading@5',
    ]);
    expect(queue.releaseAll()).toEqual([]);
  });
});
