/**
 * Deliberate faults, each at a per-reading rate. Every fault draws from its own
 * device stream, so turning faults on never changes the clean readings.
 */
import type { Domain } from '../../server/src/contract/index.js';
import { HOUR_MS } from './clock.js';
import { Rng } from './prng.js';

export const FAULT_KINDS = [
  'offline',
  'stuck',
  'spike',
  'duplicate',
  'out_of_order',
  'malformed',
  'clock_skew',
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;

const ALIASES: Record<string, FaultKind> = { ooo: 'out_of_order', skew: 'clock_skew', dup: 'duplicate' };

export class FaultSpecError extends Error {}

/** Parses `offline=0.01,stuck=0.005,…` (rates per reading, 0..1). */
export function parseFaults(text: string): FaultRates {
  const rates: FaultRates = {};
  if (text.trim() === '' || text === 'none') return rates;
  for (const part of text.split(',')) {
    const [rawName = '', rawValue] = part.split('=');
    const name = rawName.trim().replace(/-/g, '_');
    const kind = ALIASES[name] ?? (FAULT_KINDS as readonly string[]).find((k) => k === name);
    if (!kind) throw new FaultSpecError(`unknown fault "${rawName}" (known: ${FAULT_KINDS.join(', ')})`);
    const value = Number(rawValue);
    if (
      rawValue === undefined ||
      rawValue.trim() === '' ||
      !Number.isFinite(value) ||
      value < 0 ||
      value > 1
    ) {
      throw new FaultSpecError(`fault rate for ${kind} must be a number in [0, 1], got "${rawValue ?? ''}"`);
    }
    rates[kind as FaultKind] = value;
  }
  return rates;
}

export interface Emitted {
  /** An object is published as JSON; a string is published as raw bytes (malformed on purpose). */
  payload: Record<string, unknown> | string;
  faults: FaultKind[];
}

export type FaultReport = (kind: FaultKind, at: number, detail?: string) => void;

export interface OfflineCheck {
  skip: boolean;
  /** Set when an offline period starts now: when it ends (model time). */
  until?: number;
  /** Set when the device has just come back after an offline period. */
  back?: boolean;
}

export class FaultInjector {
  private readonly rng: Rng;
  private offlineUntil = -Infinity;
  private stuckLeft = 0;
  private stuckFields: Record<string, unknown> = {};
  private skewUntil = -Infinity;
  private skewMs = 0;
  private held: Emitted | undefined;

  constructor(
    seed: number,
    deviceId: string,
    private readonly domain: Domain,
    private readonly rates: FaultRates,
    private readonly report: FaultReport,
  ) {
    this.rng = new Rng(seed, 'faults', deviceId);
  }

  private chance(kind: FaultKind): boolean {
    return this.rng.chance(this.rates[kind] ?? 0);
  }

  checkOffline(ms: number): OfflineCheck {
    if (ms < this.offlineUntil) return { skip: true };
    const back = this.offlineUntil !== -Infinity;
    this.offlineUntil = -Infinity;
    if (this.chance('offline')) {
      this.offlineUntil = ms + this.rng.range(1, 12) * HOUR_MS;
      this.report('offline', ms, `until ${new Date(this.offlineUntil).toISOString()}`);
      return { skip: true, until: this.offlineUntil };
    }
    return back ? { skip: false, back } : { skip: false };
  }

  wantsReset(): boolean {
    return this.domain === 'energy' && this.chance('reset');
  }

  apply(payload: Record<string, unknown>, ms: number, pre: FaultKind[] = []): Emitted[] {
    const faults = [...pre];
    let p: Record<string, unknown> = { ...payload };
    if (this.stuckLeft > 0) {
      this.stuckLeft--;
      p = { ...p, ...this.stuckFields };
      faults.push('stuck');
    } else if (this.chance('stuck')) {
      this.stuckLeft = this.rng.int(3, 12);
      const { ts: _ts, seq: _seq, ...fields } = p;
      this.stuckFields = fields;
    }
    if (this.chance('spike')) {
      p = this.spike(p);
      faults.push('spike');
    }
    if (ms < this.skewUntil || this.chance('clock_skew')) {
      if (ms >= this.skewUntil) {
        // The odd milliseconds keep a skewed ts off every other reading's interval boundary.
        this.skewMs = (this.rng.chance(0.5) ? 1 : -1) * (this.rng.int(120, 7200) * 1000 + 137);
        this.skewUntil = ms + this.rng.range(2, 24) * HOUR_MS;
      }
      if (typeof p.ts === 'number') p.ts += this.skewMs;
      faults.push('clock_skew');
    }
    let out: Emitted = { payload: p, faults };
    if (this.chance('malformed')) out = { payload: this.malform(p), faults: [...faults, 'malformed'] };
    for (const kind of out.faults)
      this.report(kind, ms, kind === 'clock_skew' ? `${Math.round(this.skewMs / 1000)} s` : undefined);

    const emitted: Emitted[] = [out];
    if (this.chance('duplicate')) {
      emitted.push({ payload: out.payload, faults: [...out.faults, 'duplicate'] });
      this.report('duplicate', ms);
    }
    if (this.held) {
      emitted.push(this.held);
      this.held = undefined;
    } else if (this.chance('out_of_order')) {
      // Held back and sent after the device's next reading.
      this.held = { payload: out.payload, faults: [...out.faults, 'out_of_order'] };
      this.report('out_of_order', ms);
      return emitted.slice(1);
    }
    return emitted;
  }

  /** Messages still held back for out-of-order delivery at the end of a run. */
  flush(): Emitted[] {
    const held = this.held;
    this.held = undefined;
    return held ? [held] : [];
  }

  private spike(p: Record<string, unknown>): Record<string, unknown> {
    const factor = this.rng.range(10, 30);
    if (this.domain === 'waste') return { ...p, temp_c: Math.round(this.rng.range(85, 140) * 10) / 10 };
    // A sun-heated or wet sensor: a plausible but wrong temperature (the server's daily mean must shrug it off).
    if (this.domain === 'weather' && typeof p.temp_c === 'number')
      return { ...p, temp_c: Math.round((p.temp_c + this.rng.range(12, 25)) * 100) / 100 };
    if (this.domain === 'energy' && typeof p.power_kw === 'number') {
      return { ...p, power_kw: Math.round(p.power_kw * factor * 100) / 100 };
    }
    const counts = p.counts as Record<string, { in: number; out: number }> | undefined;
    const car = counts?.car;
    if (!counts || !car) return p;
    return {
      ...p,
      counts: { ...counts, car: { in: Math.round(car.in * factor), out: Math.round(car.out * factor) } },
    };
  }

  private malform(p: Record<string, unknown>): Record<string, unknown> | string {
    const json = JSON.stringify(p);
    switch (this.rng.int(0, 4)) {
      case 0:
        return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
      case 1:
        return `[${json}]`;
      case 2:
        return { ...p, seq: String(p.seq) };
      case 3: {
        const { ts: _ts, ...rest } = p;
        return rest;
      }
      default:
        if (this.domain === 'waste') return { ...p, battery_v: -1 };
        if (this.domain === 'energy') return { ...p, energy_kwh: -5 };
        return { ...p, interval_s: 0 };
    }
  }
}
