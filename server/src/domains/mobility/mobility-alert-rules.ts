/** Mobility counters: a counter reporting only zeros through daytime hours is blind, not quiet. */
import type { Reading } from '../../contract/index.js';
import { localHour } from '../../calendar/city-calendar.js';
import type { Verdict } from '../../alerts/alert-book.js';
import type { DeviceRuleSet, RuleContext } from '../../alerts/rules/device-rules.js';

export class MobilityRules implements DeviceRuleSet {
  /** Daytime counting time, in ms, covered by zero readings since the last non-zero one. */
  private zeroMs = 0;

  constructor(private readonly ctx: RuleContext) {}

  onReading(reading: Reading): Verdict[] {
    const { t } = this.ctx;
    const { interval_s: intervalS, ...counts } = reading.metrics;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const at = reading.ts;
    if (total > 0) {
      this.zeroMs = 0;
      return [{ rule: 'counter_zeros', active: false, at }];
    }
    const intervalMs = (intervalS ?? this.ctx.device.reporting_interval_s) * 1000;
    // Night zeros are normal: they neither count towards the alert nor clear it.
    const hour = localHour(at - intervalMs / 2, this.ctx.timeZone);
    if (hour < t.daytime_from_h || hour >= t.daytime_to_h) return [];
    this.zeroMs += intervalMs;
    const hours = this.zeroMs / 3_600_000;
    return hours >= t.zero_daytime_h
      ? [{ rule: 'counter_zeros', active: true, at, value: hours, threshold: t.zero_daytime_h }]
      : [];
  }
}
