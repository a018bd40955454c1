/** Waste bins: fill at the threshold, predicted full soon, overflow, fire (temperature spike) and tilt. */
import type { DeviceEvent, Reading } from '../../contract/index.js';
import type { Verdict } from '../../alerts/alert-book.js';
import { FillRate, type FillForecast } from '../../alerts/fill-rate.js';
import type { DeviceRuleSet, PreviousReading, RuleContext } from '../../alerts/rules/device-rules.js';

const HOUR_MS = 3_600_000;
/** A fire alert clears once the bin is this much cooler than the fire limit, two readings running. */
const FIRE_CLEAR_MARGIN_C = 10;
const TILT_HYSTERESIS_DEG = 15;
/** "Full soon" clears when the prediction moves this far past the horizon. */
const FULL_SOON_CLEAR_FACTOR = 1.25;

export class WasteRules implements DeviceRuleSet {
  readonly rate: FillRate;

  constructor(private readonly ctx: RuleContext) {
    this.rate = new FillRate(ctx.t.fill_rate_window_h * HOUR_MS);
  }

  forecast(): FillForecast | undefined {
    return this.rate.forecast();
  }

  restoreFill(points: readonly { ts: number; fill: number }[]): void {
    for (const p of points) this.rate.add(p.ts, p.fill);
  }

  onEvent(event: DeviceEvent): Verdict[] {
    if (event.type !== 'collection') return [];
    this.rate.collected(event.ts);
    return [{ rule: 'full_soon', active: false, at: event.ts }];
  }

  onReading(reading: Reading, previous: PreviousReading | undefined): Verdict[] {
    const { t } = this.ctx;
    const at = reading.ts;
    const out: Verdict[] = [];
    const fill = reading.metrics.fill;
    if (fill !== undefined) {
      this.rate.add(at, fill);
      out.push(...band('fill_high', fill, t.fill_threshold, t.fill_threshold - t.fill_hysteresis, at));
      out.push(...band('overflow', fill, t.overflow_fill, t.overflow_fill - t.fill_hysteresis, at));
      const soon = this.fullSoon(fill, at);
      if (soon) out.push(soon);
    }
    const temp = reading.metrics.temp_c;
    if (temp !== undefined) {
      const before = previous?.metrics.temp_c;
      const rise =
        before !== undefined && at - (previous?.ts ?? 0) <= 2 * this.ctx.intervalMs ? temp - before : 0;
      if (temp >= t.fire_temp_c || rise >= t.fire_rise_c)
        out.push({ rule: 'fire', active: true, at, value: temp, threshold: t.fire_temp_c });
      else if (temp < t.fire_temp_c - FIRE_CLEAR_MARGIN_C)
        out.push({ rule: 'fire', active: false, at, clearAfter: 2 });
    }
    const tilt = reading.metrics.tilt_deg;
    if (tilt !== undefined) out.push(...band('tilt', tilt, t.tilt_deg, t.tilt_deg - TILT_HYSTERESIS_DEG, at));
    return out;
  }

  /**
   * Predicted to reach full within the horizon while still below the collection threshold;
   * once at the threshold `fill_high` takes over. The bands do not touch, so no flapping.
   */
  private fullSoon(fill: number, at: number): Verdict | undefined {
    const { t } = this.ctx;
    if (fill >= t.fill_threshold) return { rule: 'full_soon', active: false, at };
    const forecast = this.rate.forecast();
    if (!forecast || forecast.ratePerHour === null) return undefined;
    const hours = forecast.fullAt === null ? Infinity : (forecast.fullAt - at) / HOUR_MS;
    if (fill < t.fill_threshold - t.fill_hysteresis && hours <= t.full_within_h)
      return { rule: 'full_soon', active: true, at, value: hours, threshold: t.full_within_h };
    if (hours > t.full_within_h * FULL_SOON_CLEAR_FACTOR) return { rule: 'full_soon', active: false, at };
    return undefined;
  }
}

/** Active at or above `raise`, clear below `clear`, no verdict in between (the hysteresis band). */
export function band(
  rule: Verdict['rule'],
  value: number,
  raise: number,
  clear: number,
  at: number,
): Verdict[] {
  if (value >= raise) return [{ rule, active: true, at, value, threshold: raise }];
  if (value < clear) return [{ rule, active: false, at }];
  return [];
}
