/** A fleet paced to report more often than its registry interval (the demo's live phase after its history). */
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { parseTime } from './clock.js';
import { Fleet } from './fleet.js';

const registry = loadRegistry(DEFAULT_PORTFOLIO);
const FROM = parseTime('2026-03-02') ?? 0;
const SWITCH = FROM + 6 * 3_600_000;
const TO = SWITCH + 2 * 3_600_000;

interface Totals {
  /** kWh the register advanced after the switch. */
  register: Map<string, number>;
  passages: Map<string, number>;
  intervals: Map<string, number[]>;
  stamps: Map<string, number[]>;
}

function run(paceMs: number | undefined): Totals {
  const fleet = new Fleet({ registry, seed: 9 });
  fleet.start(FROM);
  const totals: Totals = {
    register: new Map(),
    passages: new Map(),
    intervals: new Map(),
    stamps: new Map(),
  };
  const atSwitch = new Map<string, number>();
  let paced = false;
  while (fleet.peek() <= TO) {
    if (paceMs !== undefined && !paced && fleet.peek() > SWITCH) {
      fleet.pace(SWITCH, () => paceMs);
      paced = true;
    }
    const out = fleet.step();
    for (const m of out.messages) {
      if (m.kind !== 'telemetry' || typeof m.payload === 'string') continue;
      const p = m.payload as {
        ts: number;
        energy_kwh?: number;
        interval_s?: number;
        counts?: Record<string, { in: number; out: number }>;
      };
      if (p.ts > SWITCH)
        (totals.stamps.get(m.device) ?? totals.stamps.set(m.device, []).get(m.device))?.push(p.ts);
      if (p.energy_kwh !== undefined && p.ts <= SWITCH) atSwitch.set(m.device, p.energy_kwh);
      if (p.energy_kwh !== undefined)
        totals.register.set(m.device, p.energy_kwh - (atSwitch.get(m.device) ?? 0));
      if (p.counts && p.ts > SWITCH) {
        const n = Object.values(p.counts).reduce((a, c) => a + c.in + c.out, 0);
        totals.passages.set(m.device, (totals.passages.get(m.device) ?? 0) + n);
        (totals.intervals.get(m.device) ?? totals.intervals.set(m.device, []).get(m.device))?.push(
          p.interval_s ?? 0,
        );
      }
    }
  }
  return totals;
}

describe('Fleet.pace', () => {
  const regular = run(undefined);
  const dense = run(3_000);

  it('reports every 3 s after the switch, each reading covering the time since the previous one', () => {
    const stamps = dense.stamps.get('meter-school-centre') ?? [];
    expect(stamps.length).toBe((TO - SWITCH) / 3_000);
    expect(new Set(stamps.slice(1).map((t, i) => t - (stamps[i] ?? 0)))).toEqual(new Set([3_000]));
    const intervals = dense.intervals.get('counter-rustaveli-ave') ?? [];
    expect(intervals.length).toBe((TO - SWITCH) / 3_000);
    expect(new Set(intervals)).toEqual(new Set([3]));
  });

  it('keeps meter registers and passages per hour as the registry interval would have them', () => {
    for (const [device, kwh] of regular.register) {
      // The noise differs (more draws), the expected consumption does not.
      expect(kwh).toBeGreaterThan(1);
      expect(Math.abs((dense.register.get(device) ?? 0) - kwh) / kwh, device).toBeLessThan(0.05);
    }
    for (const [device, n] of regular.passages) {
      const paced = dense.passages.get(device) ?? 0;
      expect(Math.abs(paced - n) / n, device).toBeLessThan(0.15);
    }
  });
});
