/**
 * A part of the running server (zigbee2mqtt's extensions are the model): something that holds
 * resources between start() and stop(). The runtime lists its parts in start order; they are
 * stopped in reverse on shutdown, and also when one of them fails to start, so a half-started
 * server leaves no timer, socket or file behind.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface Part {
  readonly name: string;
  start(): Promise<void> | void;
  /**
   * Optional: stop taking new work and finish what is in flight (e.g. leave the broker's share
   * group, write and acknowledge what is pending). Every part drains, in reverse order, before any
   * part stops, so a part that feeds the store writer stops feeding it before the writer's last
   * write, and its connection is still there to acknowledge that write.
   */
  drain?(): Promise<void> | void;
  /** Releases what start() holds, also after a start() that failed half-way or never ran; called once. */
  stop(): Promise<void> | void;
}

/** The server's one logger (pino), which the HTTP app logs through too. */
export type Log = FastifyBaseLogger;

/**
 * Starts `parts` in order. When one throws, it and every part before it are drained and stopped in
 * reverse (a failure there is logged, not thrown) and the original error is thrown. Returns the
 * shutdown: every part drained, then stopped, in reverse, once, however often it is called.
 */
export async function startParts(parts: readonly Part[], log: Log): Promise<() => Promise<void>> {
  const started: Part[] = [];
  const step = async (part: Part, what: 'drain' | 'stop') => {
    try {
      await part[what]?.();
    } catch (error) {
      log.error({ err: error }, `${part.name}: ${what} failed`);
    }
  };
  const stopAll = async () => {
    const reversed = [...started].reverse();
    started.length = 0;
    for (const part of reversed) await step(part, 'drain');
    for (const part of reversed) await step(part, 'stop');
  };
  for (const part of parts) {
    // Stopped even if its own start fails: it may have opened something before failing.
    started.push(part);
    try {
      await part.start();
    } catch (error) {
      await stopAll();
      throw error;
    }
  }
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stopAll());
}

/** The value a part makes in start(), for the parts after it; a clear error when read too early. */
export function startedValue<T>(value: T | undefined, part: string): T {
  if (value === undefined) throw new Error(`${part} is not started`);
  return value;
}

/** A part that runs `task` every `ms` and once more as it stops (e.g. saving counters). */
export function every(name: string, ms: number, task: () => void): Part {
  let timer: NodeJS.Timeout | undefined;
  return {
    name,
    start: () => {
      timer = setInterval(task, ms);
    },
    stop: () => {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      task();
    },
  };
}
