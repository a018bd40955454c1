/** Properties of a 28-day winter dry run (Nov–Mar window, school in session). */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { isPublicHoliday } from './calendar.js';
import { dayWeather } from './climate.js';
import { DAY_MS, dayStart, isWeekend, localDay, localHour, parseTime } from './clock.js';
import { generateRange } from './generate.js';
import { Truth } from './truth.js';

const registry = loadRegistry(DEFAULT_PORTFOLIO);
const SEED = 11;
const FROM = parseTime('2026-02-02') ?? 0;
const TO = FROM + 28 * DAY_MS;

interface Row {
  device: string;
  kind: string;
  payload: Record<string, unknown>;
}

function run(faults = {}, truth?: Truth): Row[] {
  const rows: Row[] = [];
  for (const batch of generateRange({
    registry,
    seed: SEED,
    from: FROM,
    to: TO,
    faults,
    ...(truth ? { truth } : {}),
  })) {
    for (const m of batch.messages) {
      if (typeof m.payload === 'string') continue;
      rows.push({ device: m.device, kind: m.kind, payload: m.payload });
    }
  }
  return rows;
}

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

let rows: Row[] = [];
beforeAll(() => {
  rows = run();
});

describe('28-day dry run', () => {
  it('has weekday pedestrian peaks at 8–9 h and 17–19 h local time', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const r of rows) {
      if (!r.device.startsWith('counter-') || r.kind !== 'telemetry') continue;
      const start = (r.payload.ts as number) - (r.payload.interval_s as number) * 1000;
      const day = localDay(start);
      if (isWeekend(day) || isPublicHoliday(day)) continue;
      const ped = (r.payload.counts as Record<string, { in: number; out: number }>).pedestrian;
      byHour[Math.floor(localHour(start))]! += (ped?.in ?? 0) + (ped?.out ?? 0);
    }
    const argmax = (from: number, to: number) => {
      let best = from;
      for (let h = from; h < to; h++) if ((byHour[h] ?? 0) > (byHour[best] ?? 0)) best = h;
      return best;
    };
    expect(argmax(5, 12)).toBe(8);
    expect([17, 18]).toContain(argmax(12, 24));
    const midday = ((byHour[12] ?? 0) + (byHour[13] ?? 0) + (byHour[14] ?? 0)) / 3;
    expect(byHour[8]).toBeGreaterThan(1.5 * midday);
    expect(Math.max(byHour[17] ?? 0, byHour[18] ?? 0)).toBeGreaterThan(1.5 * midday);
    expect(byHour[3]).toBeLessThan(0.2 * (byHour[8] ?? 0));
  });

  it('daily energy use correlates with heating degree days (r > 0.7)', () => {
    const registers = new Map<string, Map<number, number>>();
    for (const r of rows) {
      if (!r.device.startsWith('meter-')) continue;
      const byTs = registers.get(r.device) ?? new Map<number, number>();
      byTs.set(r.payload.ts as number, r.payload.energy_kwh as number);
      registers.set(r.device, byTs);
    }
    const days: number[] = [];
    for (let d = localDay(FROM); d < localDay(TO) - 1; d++) days.push(d);
    const hdd = days.map((d) => dayWeather(SEED, d).hdd);
    const total = days.map(() => 0);
    for (const [device, byTs] of registers) {
      const daily = days.map((d) => (byTs.get(dayStart(d + 1)) ?? NaN) - (byTs.get(dayStart(d)) ?? NaN));
      expect(daily.every(Number.isFinite), device).toBe(true);
      daily.forEach((kwh, i) => (total[i]! += kwh));
    }
    const r = pearson(hdd, total);
    console.info(`energy vs HDD: r = ${r.toFixed(3)}`);
    expect(r).toBeGreaterThan(0.7);
  });

  it('keeps bin fill within [0, 1] and drops it at every collection', () => {
    const fills = new Map<string, { ts: number; fill: number }[]>();
    const collections: { device: string; ts: number }[] = [];
    for (const r of rows) {
      if (!r.device.startsWith('bin-')) continue;
      if (r.kind === 'event') {
        collections.push({ device: r.device, ts: r.payload.ts as number });
        continue;
      }
      const device = registry.device(r.device);
      const cal = device?.domain === 'waste' ? device.calibration : undefined;
      const fill =
        typeof r.payload.fill === 'number'
          ? r.payload.fill
          : cal
            ? (cal.empty_mm - (r.payload.distance_mm as number)) / (cal.empty_mm - cal.full_mm)
            : NaN;
      expect(fill).toBeGreaterThanOrEqual(0);
      expect(fill).toBeLessThanOrEqual(1);
      const list = fills.get(r.device) ?? [];
      list.push({ ts: r.payload.ts as number, fill });
      fills.set(r.device, list);
    }
    // Before the experiment start every site is on the Monday/Thursday round: 8 rounds × 12 bins.
    expect(collections.length).toBe(8 * 12);
    for (const c of collections) {
      const list = fills.get(c.device) ?? [];
      const before = list.filter((x) => x.ts < c.ts).at(-1);
      const after = list.find((x) => x.ts >= c.ts);
      expect(before && after, `${c.device} @ ${c.ts}`).toBeTruthy();
      expect(after!.fill).toBeLessThan(before!.fill);
    }
  });

  it('only ever raises energy registers, except at logged resets', () => {
    const check = (data: Row[], resets: Set<string>) => {
      const last = new Map<string, number>();
      let drops = 0;
      for (const r of data) {
        if (!r.device.startsWith('meter-') || r.kind !== 'telemetry') continue;
        const value = r.payload.energy_kwh as number;
        const previous = last.get(r.device);
        if (previous !== undefined && value < previous) {
          drops += 1;
          expect(
            resets.has(`${r.device}@${r.payload.ts as number}`),
            `${r.device} dropped at ${r.payload.ts as number}`,
          ).toBe(true);
        }
        last.set(r.device, value);
      }
      return drops;
    };
    expect(check(rows, new Set())).toBe(0);
    const truth = new Truth();
    const withResets = run({ reset: 0.002 }, truth);
    const logged = new Set(
      truth.faultLog.filter((f) => f.kind === 'reset').map((f) => `${f.device}@${f.at}`),
    );
    expect(logged.size).toBeGreaterThan(0);
    // A reset on a device's first reading (or straight after another) shows no drop, hence ≤.
    const drops = check(withResets, logged);
    expect(drops).toBeGreaterThan(0);
    expect(drops).toBeLessThanOrEqual(logged.size);
  });
});

describe('weather station', () => {
  it('publishes the weather every model uses: each day its readings average to the day’s mean', () => {
    const station = registry.portfolio.devices.find((d) => d.domain === 'weather');
    expect(station).toBeDefined();
    const byDay = new Map<number, number[]>();
    for (const r of rows) {
      if (r.device !== station?.id || r.kind !== 'telemetry') continue;
      const day = localDay(r.payload.ts as number);
      byDay.set(day, [...(byDay.get(day) ?? []), r.payload.temp_c as number]);
    }
    expect(byDay.size).toBe(28);
    for (const [day, temps] of byDay) {
      expect(temps).toHaveLength(96);
      const mean = temps.reduce((s, t) => s + t, 0) / temps.length;
      expect(mean, `day ${day}`).toBeCloseTo(dayWeather(SEED, day).meanC, 2);
    }
  });
});
