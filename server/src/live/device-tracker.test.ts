import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { Reading } from '../contract/index.js';
import { DeviceTracker } from './device-tracker.js';

const registry = loadRegistry('config/portfolio.yaml');
const T0 = Date.UTC(2026, 9, 5, 8);

function reading(ts: number, seq: number | undefined, metrics: Record<string, number>): Reading {
  return {
    device: 'bin-nikea-02',
    domain: 'waste',
    site: 'nikea',
    ts,
    seq,
    metrics,
    simulated: false,
    receivedAt: ts,
  };
}

describe('DeviceTracker', () => {
  it('counts sequence gaps where the device sends seq', () => {
    const tracker = new DeviceTracker(registry);
    expect(tracker.onReading(reading(T0, 1, { fill: 0.1 }))).toBe(0);
    expect(tracker.onReading(reading(T0 + 1, 4, { fill: 0.2 }))).toBe(2);
    expect(tracker.get('bin-nikea-02')?.seqGaps).toBe(2);
  });

  it('takes readings without seq, battery or temperature: no gaps, the values it has', () => {
    const tracker = new DeviceTracker(registry);
    tracker.onReading(reading(T0, 5, { fill: 0.1, battery_v: 3.6, temp_c: 9 }));
    expect(tracker.onReading(reading(T0 + 900_000, undefined, { fill: 0.3 }))).toBe(0);
    // A counter that comes back after readings without one is not a gap.
    expect(tracker.onReading(reading(T0 + 1_800_000, 6, { fill: 0.35 }))).toBe(0);
    const state = tracker.get('bin-nikea-02');
    expect(state?.seqGaps).toBe(0);
    expect(state?.values).toEqual({ fill: 0.35, battery_v: 3.6, temp_c: 9 });
    expect(tracker.health('bin-nikea-02', T0 + 1_800_000)).toBe('online');
  });
});
