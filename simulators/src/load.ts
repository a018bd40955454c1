/**
 * Load mode: publish N readings per second for a fixed time and report the
 * rate the broker actually acknowledged. Pacing is by elapsed time (not by
 * sleeping a fixed gap per message), so timer jitter does not erode the rate.
 */
import type { Fleet } from './fleet.js';
import type { Sender } from './mqtt-io.js';

export interface LoadOptions {
  /** One shared connection (sharedSender) or one per device with its own credentials (PerDeviceSender). */
  sender: Sender;
  fleet: Fleet;
  /** Readings per second requested. */
  rate: number;
  durationS: number;
  /** Most messages allowed unacknowledged; beyond it the sender waits. */
  window?: number;
  /** How long to wait for the last acknowledgements. */
  drainTimeoutMs?: number;
  onTick?: (sent: number, elapsedS: number) => void;
}

export interface LoadResult {
  requested_rate: number;
  duration_s: number;
  /** Messages handed to the client (readings plus any events and fault copies). */
  published: number;
  acknowledged: number;
  /** Acknowledged messages per second, from the first publish to the last acknowledgement. */
  achieved_rate: number;
  /** Published messages per second over the requested duration. */
  publish_rate: number;
  /** achieved / requested − 1. */
  deviation: number;
  errors: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { sender, fleet, rate, durationS } = options;
  const window = options.window ?? 5000;
  const total = Math.round(rate * durationS);
  let published = 0;
  let acked = 0;
  let errors = 0;
  let lastAck = 0;
  const settle = (error?: Error) => {
    if (error) errors += 1;
    else acked += 1;
    lastAck = performance.now();
  };
  const start = performance.now();
  const end = start + durationS * 1000;
  let lastTick = start;
  while (published < total) {
    const now = performance.now();
    // Bound by time as well: a broker that cannot keep up must not keep us here forever.
    if (now > end + 1000) break;
    const due = Math.min(total, Math.floor((rate * (now - start)) / 1000));
    const wallMs = Date.now();
    while (published < due && published - acked - errors < window) {
      for (const message of fleet.step(wallMs).messages) {
        sender.send(message, settle);
        published += 1;
      }
    }
    if (options.onTick && now - lastTick >= 1000) {
      lastTick = now;
      options.onTick(published, (now - start) / 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const publishedAt = performance.now();
  const drainUntil = publishedAt + (options.drainTimeoutMs ?? 10_000);
  while (acked + errors < published && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const elapsed = (Math.max(lastAck, publishedAt) - start) / 1000;
  const achieved = elapsed > 0 ? acked / elapsed : 0;
  return {
    requested_rate: rate,
    duration_s: durationS,
    published,
    acknowledged: acked,
    achieved_rate: Math.round(achieved),
    publish_rate: Math.round(published / Math.max(durationS, (publishedAt - start) / 1000)),
    deviation: Math.round((achieved / rate - 1) * 10_000) / 10_000,
    errors,
  };
}
