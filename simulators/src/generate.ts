/** Historical runs (backfill and dry-run): every reading of every device between two instants, in time order. */
import { Fleet, type FleetOptions, type OutMessage } from './fleet.js';

export interface RangeOptions extends FleetOptions {
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  /** Last published values per device, for a range that continues an earlier one (registers keep counting). */
  resume?: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export interface Batch {
  /** Model time of the reading that produced the messages. */
  at: number;
  messages: OutMessage[];
}

export function* generateRange(options: RangeOptions): Generator<Batch> {
  const fleet = new Fleet(options);
  if (options.resume) fleet.resume(options.resume);
  fleet.start(options.from);
  while (fleet.peek() < options.to) {
    const out = fleet.step();
    if (out.messages.length > 0) yield { at: out.at, messages: out.messages };
  }
  const held = fleet.flush();
  if (held.length > 0) yield { at: options.to, messages: held };
}

/** One dry-run line: `{"topic":…,"payload":…}`; a string payload is the raw (malformed) text. */
export function ndjsonLine(message: OutMessage): string {
  return JSON.stringify({ topic: message.topic, payload: message.payload });
}

/** Writes the dry-run NDJSON for a range; returns the number of lines. */
export function dryRun(options: RangeOptions, write: (chunk: string) => void): number {
  let lines = 0;
  let buffer: string[] = [];
  for (const batch of generateRange(options)) {
    for (const message of batch.messages) buffer.push(ndjsonLine(message));
    lines += batch.messages.length;
    // Chunked writes: one write per line is slow on a pipe.
    if (buffer.length >= 2000) {
      write(`${buffer.join('\n')}\n`);
      buffer = [];
    }
  }
  if (buffer.length > 0) write(`${buffer.join('\n')}\n`);
  return lines;
}
