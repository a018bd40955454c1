/**
 * Per-device live state fed by the bus: last seen, latest values, reported
 * status, sequence gaps. Health is judged against the device's reporting interval.
 */
import type { DeviceHealth, DeviceState, DeviceStatusChange, Reading } from '../contract/index.js';
import type { Registry } from '../config/registry.js';

export type { DeviceHealth };

export interface DeviceLiveState {
  lastSeen: number | undefined;
  lastSeq: number | undefined;
  seqGaps: number;
  status: DeviceState | undefined;
  /**
   * Latest value of each metric. Replaced, never modified: the live entities share the object, and
   * when a reading carries every metric known so far it is that reading's own metrics object.
   */
  values: Readonly<Record<string, number>>;
}

/** The values of a device not heard from yet: one shared, frozen empty object. */
export const NO_VALUES: Readonly<Record<string, number>> = Object.freeze({});

/** A sequence number this far below the last one means the device restarted its counter. */
const SEQ_RESET_DISTANCE = 1000;

export class DeviceTracker {
  private readonly states = new Map<string, DeviceLiveState>();

  constructor(private readonly registry: Registry) {}

  private state(device: string): DeviceLiveState {
    let state = this.states.get(device);
    if (!state) {
      state = { lastSeen: undefined, lastSeq: undefined, seqGaps: 0, status: undefined, values: NO_VALUES };
      // Keyed by the registry's string: an id read from the store or a peer would be one more copy.
      this.states.set(this.registry.device(device)?.id ?? device, state);
    }
    return state;
  }

  /** Returns how many sequence numbers were skipped before this reading. */
  onReading(reading: Reading): number {
    const state = this.state(reading.device);
    if (state.lastSeen === undefined || reading.ts >= state.lastSeen) {
      state.lastSeen = reading.ts;
      state.values = merged(state.values, reading.metrics);
      if (state.status !== 'online') state.status = 'online';
    }
    // Gap detection only where the device sends a sequence counter.
    const seq = reading.seq;
    if (seq === undefined) return 0;
    let missing = 0;
    const last = state.lastSeq;
    if (last === undefined || seq < last - SEQ_RESET_DISTANCE) {
      state.lastSeq = seq;
    } else if (seq > last) {
      missing = seq - last - 1;
      state.lastSeq = seq;
    }
    state.seqGaps += missing;
    return missing;
  }

  onStatus(change: DeviceStatusChange): void {
    this.state(change.device).status = change.state;
  }

  restoreLastSeen(lastSeen: ReadonlyMap<string, number>): void {
    for (const [device, ts] of lastSeen) {
      const state = this.state(device);
      if (state.lastSeen === undefined || ts > state.lastSeen) state.lastSeen = ts;
    }
  }

  /** Latest values from the store, so the dashboard has numbers before the first live reading. */
  restoreValues(latest: ReadonlyMap<string, Record<string, { value: number; ts: number }>>): void {
    for (const [device, metrics] of latest) {
      const state = this.state(device);
      let values: Record<string, number> | undefined;
      for (const [metric, { value, ts }] of Object.entries(metrics)) {
        // Only values of the newest reading: an old tilt_deg must not pose as current.
        if ((state.lastSeen === undefined || ts >= state.lastSeen) && state.values[metric] === undefined)
          (values ??= { ...state.values })[metric] = value;
      }
      if (values) state.values = values;
    }
  }

  get(device: string): DeviceLiveState | undefined {
    return this.states.get(device);
  }

  health(device: string, now: number): DeviceHealth {
    const config = this.registry.device(device);
    const state = this.states.get(device);
    if (!config || !state || state.lastSeen === undefined) return 'unknown';
    if (state.status === 'lost' || state.status === 'offline') return 'offline';
    const silentFor = now - state.lastSeen;
    const interval = config.reporting_interval_s * 1000;
    if (silentFor <= 2 * interval) return 'online';
    if (silentFor <= 3 * interval) return 'late';
    return 'offline';
  }
}

/** The latest values after a reading: the reading's own metrics when they hold every metric known so far. */
function merged(
  values: Readonly<Record<string, number>>,
  metrics: Readonly<Record<string, number>>,
): Readonly<Record<string, number>> {
  for (const key in values) if (!Object.hasOwn(metrics, key)) return { ...values, ...metrics };
  return metrics;
}
