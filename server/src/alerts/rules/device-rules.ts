/**
 * Rules every device has (offline lives in the engine: it needs a clock). Each rule keeps a
 * little per-device state and answers a reading with verdicts; no verdict means "nothing new".
 * Rules see only in-order readings (the engine drops duplicates and late arrivals).
 */
import type { DeviceEvent, Reading } from '../../contract/index.js';
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import type { Verdict } from '../alert-book.js';
import type { DeviceThresholds } from '../alert-settings.js';
import type { FillForecast } from '../fill-rate.js';

export interface RuleContext {
  device: DeviceConfig;
  t: DeviceThresholds;
  intervalMs: number;
  timeZone: string;
  /** Readings of only zeros are the domain rules' business (a counter's), not a stuck sensor. */
  zerosAreNotStuck: boolean;
}

/** The device's previous in-order reading, as far as the rules compare with it. */
export type PreviousReading = Pick<Reading, 'ts' | 'seq' | 'metrics'>;

export interface DeviceRuleSet {
  onReading(reading: Reading, previous: PreviousReading | undefined): Verdict[];
  /** A device event (a bin's collection). */
  onEvent?(event: DeviceEvent): Verdict[];
  /** Fill history from the store at start-up, so a fill forecast does not start blind. */
  restoreFill?(points: readonly { ts: number; fill: number }[]): void;
  /** When the device is expected to be full (bins). */
  forecast?(): FillForecast | undefined;
}

/** A battery reading above the limit by this much clears the alert. */
const BATTERY_HYSTERESIS_V = 0.05;
/** A sequence number this far below the last one means the device restarted its counter. */
const SEQ_RESET_DISTANCE = 1000;

export class CommonRules implements DeviceRuleSet {
  /** The metrics of the last reading (the reading's own object, shared, never a copy or a text). */
  private last: Record<string, number> | undefined = undefined;
  private same = 0;
  /** Share of sequence numbers missing, exponentially weighted over about `seq_gap_window` readings: O(1) per device. */
  private lostRate = 0;
  private seen = 0;

  constructor(private readonly ctx: RuleContext) {}

  onReading(reading: Reading, previous: PreviousReading | undefined): Verdict[] {
    const { t } = this.ctx;
    const at = reading.ts;
    const out: Verdict[] = [];
    const battery = reading.metrics.battery_v;
    if (battery !== undefined) {
      if (battery < t.battery_low_v)
        out.push({ rule: 'battery_low', active: true, at, value: battery, threshold: t.battery_low_v });
      else if (battery >= t.battery_low_v + BATTERY_HYSTERESIS_V)
        out.push({ rule: 'battery_low', active: false, at });
    }
    out.push(this.stuck(reading));
    const gaps = this.seqGaps(reading, previous);
    if (gaps) out.push(gaps);
    return out;
  }

  /** The same values, every metric, reading after reading: a frozen sensor or firmware. */
  private stuck(reading: Reading): Verdict {
    const metrics = reading.metrics;
    // A counter reporting nothing has its own rule (zeros in daytime); identical zeros are not "stuck".
    const allZero = this.ctx.zerosAreNotStuck && everyMetric(metrics, (v) => v === 0);
    if (this.last !== undefined && sameMetrics(this.last, metrics) && !allZero) this.same++;
    else this.same = 1;
    this.last = metrics;
    const limit = this.ctx.t.stuck_readings;
    return this.same >= limit
      ? { rule: 'stuck_value', active: true, at: reading.ts, value: this.same, threshold: limit }
      : { rule: 'stuck_value', active: false, at: reading.ts };
  }

  /**
   * Readings lost in transit: sequence numbers skipped while the device kept reporting. Gaps that
   * come with a silence longer than the offline limit are an outage, reported by the offline rule.
   */
  private seqGaps(reading: Reading, previous: PreviousReading | undefined): Verdict | undefined {
    const { t } = this.ctx;
    // Gaps are judged only where the device sends a counter.
    const seq = reading.seq;
    if (seq === undefined) return undefined;
    const before = previous?.seq;
    let missing = 0;
    if (previous && before !== undefined && seq > before && seq - before < SEQ_RESET_DISTANCE) {
      const outage = reading.ts - previous.ts > t.offline_intervals * this.ctx.intervalMs;
      if (!outage) missing = seq - before - 1;
    }
    // Each reading stands for itself and the readings lost just before it.
    const alpha = (1 + missing) / t.seq_gap_window;
    this.lostRate += Math.min(1, alpha) * (missing / (missing + 1) - this.lostRate);
    this.seen++;
    if (this.seen < Math.min(t.seq_gap_window, 20)) return undefined;
    const rate = this.lostRate;
    if (rate > t.seq_gap_rate)
      return { rule: 'seq_gaps', active: true, at: reading.ts, value: rate, threshold: t.seq_gap_rate };
    if (rate <= t.seq_gap_rate / 2) return { rule: 'seq_gaps', active: false, at: reading.ts };
    return undefined;
  }
}

/** The reporting interval of a counter says nothing about the sensor: left out of "the same values". */
const IGNORED = 'interval_s';

function everyMetric(metrics: Record<string, number>, test: (value: number) => boolean): boolean {
  for (const key in metrics) if (key !== IGNORED && !test(metrics[key] as number)) return false;
  return true;
}

/** The same metrics with the same values (interval_s aside). */
export function sameMetrics(a: Record<string, number>, b: Record<string, number>): boolean {
  let count = 0;
  for (const key in a) {
    if (key === IGNORED) continue;
    if (!Object.hasOwn(b, key)) return false;
    const x = a[key] as number;
    const y = b[key] as number;
    // String(-0) === String(0) and String(NaN) === String(NaN): equal as the metrics' text was.
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    count++;
  }
  for (const key in b) if (key !== IGNORED) count--;
  return count === 0;
}
