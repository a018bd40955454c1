import { describe, expect, it, vi } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { Reading } from '../contract/index.js';
import { LocalCalendar } from '../calendar/city-calendar.js';
import { EffectsCache } from './effects-cache.js';
import type { EffectsReport } from './effects.js';
import { analysisWindow, findExperiment, type ExperimentRef } from './experiment-data.js';

const registry = loadRegistry('config/portfolio.yaml');
const calendar = new LocalCalendar(registry.portfolio.timezone);
const ref = findExperiment(registry, 'smart-collection') as ExperimentRef;
const window = analysisWindow(ref, calendar, undefined, calendar.startOf('2026-10-01'));

const report = (label: string): EffectsReport => ({
  effects: [],
  data_quality: {},
  not_estimated: [{ kpi: label, reason: 'test' }],
  daily: [],
});

function reading(device: string, ts: number): Reading {
  return {
    device,
    domain: 'waste',
    site: 's',
    ts,
    seq: 0,
    metrics: { fill: 0.5 },
    simulated: false,
    receivedAt: ts,
  };
}

/** A compute function that counts its calls and labels each result. */
function counting() {
  let calls = 0;
  return {
    compute: async () => report(`run-${++calls}`),
    get calls() {
      return calls;
    },
  };
}

describe('EffectsCache', () => {
  const inside = calendar.startOf('2026-07-15') + 3_600_000;

  it('serves a second request from the cache', async () => {
    const cache = new EffectsCache(registry);
    const c = counting();
    const first = await cache.get(ref, window, c.compute);
    const second = await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(1);
    expect(second).toBe(first);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('is invalidated by a stored reading of the experiment inside the window, and moves the data version on', async () => {
    const cache = new EffectsCache(registry);
    const c = counting();
    await cache.get(ref, window, c.compute);
    cache.onStored([reading('bin-nikea-01', inside)]);
    expect(cache.version('smart-collection')).toBe(1);
    const again = await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(2);
    expect(again.not_estimated[0]?.kpi).toBe('run-2');
  });

  it('is not invalidated by a reading outside the window, from another pilot, or from an unknown device', async () => {
    const cache = new EffectsCache(registry);
    const c = counting();
    await cache.get(ref, window, c.compute);
    cache.onStored([
      reading('bin-nikea-01', window.to), // `to` is exclusive: today's readings change nothing older
      reading('bin-nikea-01', window.from - 1),
      reading('counter-rustaveli-ave', inside), // the mobility pilot's device
      reading('not-registered', inside),
    ]);
    await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(1);
    expect(cache.version('smart-collection')).toBe(0);
  });

  it("is invalidated for the energy experiment by its weather station's readings, not for the others", async () => {
    const cache = new EffectsCache(registry);
    const energy = findExperiment(registry, 'school-retrofit') as ExperimentRef;
    const energyWindow = analysisWindow(energy, calendar, undefined, calendar.startOf('2026-10-01'));
    const c = counting();
    await cache.get(energy, energyWindow, c.compute);
    await cache.get(ref, window, c.compute);
    cache.onStored([{ ...reading('wx-kutaisi-centre', inside), domain: 'weather', metrics: { temp_c: 21 } }]);
    await cache.get(energy, energyWindow, c.compute);
    await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(3);
  });

  it('keeps no result whose data changed while it was computed, and shares a computation in flight', async () => {
    const cache = new EffectsCache(registry);
    let release: (r: EffectsReport) => void = () => undefined;
    const slow = () => new Promise<EffectsReport>((resolve) => (release = resolve));
    const first = cache.get(ref, window, slow);
    const joined = cache.get(ref, window, slow);
    cache.onStored([reading('bin-bagrati-02', inside)]);
    release(report('stale'));
    expect((await first).not_estimated[0]?.kpi).toBe('stale');
    expect(await joined).toBe(await first);
    const c = counting();
    await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(1);
  });

  it('keeps separate windows apart and bounds its size, least recently used out first', async () => {
    const cache = new EffectsCache(registry, { maxEntries: 2 });
    const c = counting();
    const days = ['2026-09-10', '2026-09-20', '2026-09-30'].map((d) =>
      analysisWindow(ref, calendar, undefined, calendar.startOf(d)),
    );
    for (const w of days) await cache.get(ref, w, c.compute);
    expect(cache.stats().entries).toBe(2);
    await cache.get(ref, days[2] as typeof window, c.compute); // cached
    await cache.get(ref, days[0] as typeof window, c.compute); // evicted: computed again
    expect(c.calls).toBe(4);
  });

  it('forgets a failed computation', async () => {
    const cache = new EffectsCache(registry);
    await expect(cache.get(ref, window, () => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    const c = counting();
    await cache.get(ref, window, c.compute);
    expect(c.calls).toBe(1);
  });

  it("drops entries for a peer instance's reading at once and again once its write has landed", async () => {
    vi.useFakeTimers();
    try {
      const cache = new EffectsCache(registry);
      const c = counting();
      await cache.get(ref, window, c.compute);
      cache.onPeerReading(reading('bin-nikea-02', inside), 10_000);
      await cache.get(ref, window, c.compute); // computed between the exchange and the peer's write
      vi.advanceTimersByTime(10_000);
      await cache.get(ref, window, c.compute);
      expect(c.calls).toBe(3);
      cache.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
