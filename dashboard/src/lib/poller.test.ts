import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller, type PageActivity } from './poller.js';

/** A loader whose answers the test gives, one per call, and the signals it was handed. */
function scriptedLoader() {
  const calls: { signal: AbortSignal; resolve(v: number): void; reject(e: unknown): void }[] = [];
  const load = (signal: AbortSignal) =>
    new Promise<number>((resolve, reject) => calls.push({ signal, resolve, reject }));
  return { load, calls };
}

function recorder() {
  const seen = { data: [] as number[], errors: [] as unknown[], loading: [] as boolean[] };
  return {
    seen,
    events: {
      data: (v: number) => seen.data.push(v),
      error: (e: unknown) => seen.errors.push(e),
      loading: (b: boolean) => seen.loading.push(b),
    },
  };
}

class FakePage implements PageActivity {
  shown = true;
  online = true;
  listeners = new Set<() => void>();
  active = () => this.shown && this.online;
  watch(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(change: Partial<Pick<FakePage, 'shown' | 'online'>>) {
    Object.assign(this, change);
    for (const l of this.listeners) l();
  }
}

const settle = () => vi.advanceTimersByTimeAsync(0);

/** A poller every second on a page that is shown and online, whose first answer has come. */
async function answeredOnce() {
  const { load, calls } = scriptedLoader();
  const page = new FakePage();
  const poller = new Poller(load, recorder().events, { everyMs: 1000, activity: page });
  poller.start();
  calls[0]?.resolve(1);
  await settle();
  return { calls, page, poller };
}

describe('Poller', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('asks at once, then every interval, and reports data and loading', async () => {
    const { load, calls } = scriptedLoader();
    const { seen, events } = recorder();
    const poller = new Poller(load, events, { everyMs: 1000 });
    poller.start();
    expect(calls).toHaveLength(1);
    expect(seen.loading).toEqual([true]);
    calls[0]?.resolve(1);
    await settle();
    expect(seen.data).toEqual([1]);
    expect(seen.loading).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(2);
    await settle();
    expect(seen.data).toEqual([1, 2]);
    poller.stop();
  });

  it('asks once without an interval, and again on refresh()', async () => {
    const { load, calls } = scriptedLoader();
    const poller = new Poller(load, recorder().events);
    poller.start();
    calls[0]?.resolve(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    void poller.refresh();
    expect(calls).toHaveLength(2);
    poller.stop();
  });

  it('never stacks requests on a slow server', async () => {
    const { load, calls } = scriptedLoader();
    const poller = new Poller(load, recorder().events, { everyMs: 1000 });
    poller.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    poller.stop();
  });

  it('gives up the request in flight on stop and on refresh, and drops its answer', async () => {
    const { load, calls } = scriptedLoader();
    const { seen, events } = recorder();
    const poller = new Poller(load, events, { everyMs: 1000 });
    poller.start();
    void poller.refresh();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[0]?.resolve(1);
    calls[1]?.resolve(2);
    await settle();
    expect(seen.data).toEqual([2]);

    void poller.refresh();
    poller.stop();
    expect(calls[2]?.signal.aborted).toBe(true);
    expect(seen.loading.at(-1)).toBe(false);
    calls[2]?.reject(new DOMException('aborted', 'AbortError'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.errors).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it('reports a failure and keeps asking', async () => {
    const { load, calls } = scriptedLoader();
    const { seen, events } = recorder();
    const poller = new Poller(load, events, { everyMs: 1000 });
    poller.start();
    const failure = new Error('HTTP 503');
    calls[0]?.reject(failure);
    await settle();
    expect(seen.errors).toEqual([failure]);
    expect(seen.loading).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(1000);
    calls[1]?.resolve(7);
    await settle();
    expect(seen.data).toEqual([7]);
    poller.stop();
  });

  it('asks nothing while the page is hidden or offline, and catches up when it is back', async () => {
    const { calls, page, poller } = await answeredOnce();

    page.set({ shown: false });
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
    page.set({ shown: true });
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(2);
    await settle();

    page.set({ online: false });
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(2);
    page.set({ online: true });
    expect(calls).toHaveLength(3);
    poller.stop();
  });

  it('does not ask on return when no turn was missed, and lets go of the page on stop', async () => {
    const { calls, page, poller } = await answeredOnce();
    page.set({ shown: false });
    page.set({ shown: true });
    expect(calls).toHaveLength(1);
    poller.stop();
    expect(page.listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
  });
});
