/**
 * The demo's history: a fleet stepped from a past date up to now, every message handed to a sink
 * (the server's ingest) as fast as the sink takes it. The same fleet then goes on live (live.ts
 * accepts it), so registers, bins and counters continue where the history ends.
 */
import type { Fleet } from './fleet.js';

export interface HistorySink {
  /** One message; `ack` runs once it is durable (or rejected and counted). */
  accept(topic: string, payload: Record<string, unknown>, ack: () => void): void;
  /** False while the sink's queue is full: the fill waits for whenAccepting(). */
  accepting(): boolean;
  whenAccepting(): Promise<void>;
}

export interface HistoryProgress {
  /** 0..1 of the time range covered. */
  fraction: number;
  messages: number;
}

export interface HistoryResult {
  messages: number;
  ms: number;
}

/** Yield to the event loop this often, so the server keeps answering while the history fills. */
const YIELD_EVERY = 2_000;

export async function fillHistory(
  fleet: Fleet,
  from: number,
  to: number,
  sink: HistorySink,
  signal: AbortSignal | undefined,
  onProgress: (progress: HistoryProgress) => void = () => undefined,
): Promise<HistoryResult> {
  const started = performance.now();
  fleet.start(from);
  let messages = 0;
  let pending = 0;
  let drained: () => void = () => undefined;
  const ack = () => {
    pending--;
    if (pending === 0) drained();
  };
  const span = Math.max(1, to - from);
  let sinceYield = 0;
  while (fleet.peek() < to && signal?.aborted !== true) {
    const out = fleet.step();
    for (const message of out.messages) {
      // History is clean: the demo's faults run live, where they show as alerts.
      if (typeof message.payload === 'string') continue;
      pending++;
      messages++;
      sink.accept(message.topic, message.payload, ack);
    }
    if (++sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      onProgress({ fraction: (fleet.peek() - from) / span, messages });
      if (!sink.accepting()) await sink.whenAccepting();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (pending > 0) await new Promise<void>((resolve) => (drained = resolve));
  onProgress({ fraction: 1, messages });
  return { messages, ms: performance.now() - started };
}
