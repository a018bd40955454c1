/**
 * Energy meters: night base load above the building's baseline (heating an empty school),
 * power spikes, and register resets.
 *
 * The baseline is `night_baseline_kw` when configured, else the building's own mean power at
 * that hour over the previous 7 days, which the live indicator engine already keeps (restored
 * from the store at start-up and refreshed hourly): no query of ours on the live path.
 */
import type { Reading } from '../../contract/index.js';
import { localDayStart, localHour } from '../../calendar/city-calendar.js';
import type { Verdict } from '../../alerts/alert-book.js';
import type { DeviceRuleSet, PreviousReading, RuleContext } from '../../alerts/rules/device-rules.js';

/** Mean kW at a local hour of day over the previous 7 days, null when unknown. */
export type HourlyBaseline = (hourOfDay: number) => number | null;

const RECENT = 96;
/** Consecutive increasing readings after a reset before its alert resolves. */
const RESET_CLEAR_READINGS = 4;

export class EnergyRules implements DeviceRuleSet {
  private night: { start: number; power: number; baseline: number; n: number } | undefined;
  private readonly recent: number[] = [];

  constructor(
    private readonly ctx: RuleContext,
    private readonly baseline: HourlyBaseline,
  ) {}

  onReading(reading: Reading, previous: PreviousReading | undefined): Verdict[] {
    const out: Verdict[] = [];
    const power = reading.metrics.power_kw;
    if (power !== undefined) {
      const night = this.nightLoad(reading.ts, power);
      if (night) out.push(night);
      out.push(this.spike(reading.ts, power));
    }
    const register = reading.metrics.energy_kwh;
    const before = previous?.metrics.energy_kwh;
    if (register !== undefined && before !== undefined) {
      if (register < before - this.ctx.t.reset_drop_kwh)
        out.push({
          rule: 'register_reset',
          active: true,
          at: reading.ts,
          value: register,
          threshold: before,
        });
      else if (register >= before)
        out.push({ rule: 'register_reset', active: false, at: reading.ts, clearAfter: RESET_CLEAR_READINGS });
    }
    return out;
  }

  private isNight(hour: number): boolean {
    const { night_from_h: from, night_to_h: to } = this.ctx.t;
    return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
  }

  /** The night's mean power so far against the mean baseline of the same hours. */
  private nightLoad(ts: number, power: number): Verdict | undefined {
    const { t, timeZone } = this.ctx;
    // The reading covers the interval before ts: judge it by the middle of that interval.
    const mid = ts - this.ctx.intervalMs / 2;
    const hour = localHour(mid, timeZone);
    if (!this.isNight(hour)) return undefined;
    const base = t.night_baseline_kw ?? this.baseline(hour);
    if (base === null) return undefined;
    // A night that started yesterday evening belongs to the evening's date.
    const start = localDayStart(mid - t.night_to_h * 3_600_000, timeZone);
    if (this.night?.start !== start) this.night = { start, power: 0, baseline: 0, n: 0 };
    const night = this.night;
    night.power += power;
    night.baseline += base;
    night.n++;
    if (night.n < t.night_min_readings) return undefined;
    const mean = night.power / night.n;
    const baseMean = night.baseline / night.n;
    const limit = baseMean * (1 + t.night_margin);
    if (mean > limit) return { rule: 'night_base_load', active: true, at: ts, value: mean, threshold: limit };
    if (mean <= baseMean * (1 + t.night_margin / 2))
      return { rule: 'night_base_load', active: false, at: ts };
    return undefined;
  }

  /**
   * Far above what the building draws at this hour (its 7-day profile), or, before a profile
   * exists, above the highest of the last day's readings: a morning ramp-up is not a spike.
   */
  private spike(ts: number, power: number): Verdict {
    const { t } = this.ctx;
    const profile = this.baseline(localHour(ts, this.ctx.timeZone));
    const reference = profile ?? (this.recent.length >= 8 ? Math.max(...this.recent) : null);
    const limit =
      reference === null ? null : Math.max(reference * t.spike_factor, reference + t.spike_min_kw);
    if (limit !== null && power > limit)
      return { rule: 'power_spike', active: true, at: ts, value: power, threshold: limit };
    this.recent.push(power);
    if (this.recent.length > RECENT) this.recent.shift();
    return { rule: 'power_spike', active: false, at: ts };
  }
}
