import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { mobilityReading, newMobility, rollMobility } from './mobility-state.js';
import { HOUR_MS, localDayStart } from '../../calendar/city-calendar.js';

const TZ = 'Asia/Tbilisi';
// 10:00 local time (UTC+4).
const NOW = Date.UTC(2026, 10, 2, 6, 0, 0);
const interval = (ts: number, pedestrians: number): Reading => ({
  device: 'counter-rustaveli-ave',
  domain: 'mobility',
  site: 'rustaveli-ave',
  ts,
  seq: ts / 60_000,
  metrics: { interval_s: 60, pedestrian_in: pedestrians, pedestrian_out: 0 },
  simulated: false,
  receivedAt: ts,
});

describe('mobility counts', () => {
  it('counts a late interval once, and a re-delivered one not again', () => {
    const state = newMobility(NOW, TZ);
    expect(mobilityReading(state, interval(NOW + 120_000, 3), TZ)).toBe(true);
    // A peer's reading, or a device's buffered one, arriving after a newer interval.
    expect(mobilityReading(state, interval(NOW + 60_000, 5), TZ)).toBe(true);
    expect(mobilityReading(state, interval(NOW + 60_000, 5), TZ)).toBe(false);
    expect(mobilityReading(state, interval(NOW + 120_000, 3), TZ)).toBe(false);
    expect(state.today.pedestrian).toEqual({ in: 8, out: 0 });
    expect(state.hour.pedestrian).toEqual({ in: 8, out: 0 });
    // The sparkline shows the newest interval, not the one that came last.
    expect(state.latestTotal).toBe(3);
  });

  it('never counts again what the store already held at start-up', () => {
    const state = newMobility(NOW, TZ);
    state.lastCountedTs = NOW + 60_000;
    expect(mobilityReading(state, interval(NOW + 60_000, 5), TZ)).toBe(false);
    expect(mobilityReading(state, interval(NOW, 5), TZ)).toBe(false);
    expect(mobilityReading(state, interval(NOW + 120_000, 2), TZ)).toBe(true);
  });

  it('forgets the counted intervals of past days at midnight', () => {
    const state = newMobility(NOW, TZ);
    mobilityReading(state, interval(NOW, 4), TZ);
    const midnight = localDayStart(NOW, TZ) + 24 * HOUR_MS;
    rollMobility(state, midnight + 1, TZ);
    expect(state.counted.size).toBe(0);
    expect(state.today.pedestrian).toEqual({ in: 0, out: 0 });
    // Yesterday's interval, re-delivered after midnight, adds nothing to today.
    expect(mobilityReading(state, interval(NOW, 4), TZ)).toBe(false);
    expect(mobilityReading(state, interval(midnight + 60_000, 1), TZ)).toBe(true);
    expect(state.today.pedestrian).toEqual({ in: 1, out: 0 });
  });
});
