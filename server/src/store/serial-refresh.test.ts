import { describe, expect, it } from 'vitest';
import { SerialRefresh } from './serial-refresh.js';

describe('serial refresh', () => {
  it('runs once at a time, and once more for everyone who came during a run', async () => {
    const finish: (() => void)[] = [];
    let started = 0;
    const refresh = new SerialRefresh(() => {
      started += 1;
      return new Promise<void>((resolve) => finish.push(resolve));
    });
    const first = refresh.run();
    const late = [refresh.run(), refresh.run(), refresh.run()];
    expect(started).toBe(1);
    let lateDone = false;
    void Promise.all(late).then(() => (lateDone = true));
    finish[0]?.();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    // The three late callers share one more run, which has begun but not ended.
    expect(started).toBe(2);
    expect(lateDone).toBe(false);
    finish[1]?.();
    await Promise.all(late);
    expect(started).toBe(2);
  });

  it('lets a failed run fail its own callers only, and settles either way', async () => {
    let calls = 0;
    const refresh = new SerialRefresh(async () => {
      calls += 1;
      if (calls === 1) throw new Error('store down');
    });
    const failing = refresh.run();
    const next = refresh.run();
    await expect(failing).rejects.toThrow('store down');
    await expect(next).resolves.toBeUndefined();
    await refresh.settled();
    expect(calls).toBe(2);
  });
});
