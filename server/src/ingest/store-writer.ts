/**
 * Batches accepted readings (by size and by time), writes each batch to the
 * store, and only then releases the batch's acknowledgements, in arrival order.
 * A failed write is retried with backoff and nothing is acknowledged meanwhile,
 * so the broker keeps every unacknowledged message for re-delivery.
 */
import type { Reading } from '../contract/index.js';
import type { Ack } from '../bus/bus.js';
import type { TelemetryStore, WriteResult } from '../store/port.js';

export interface StoreWriterOptions {
  batchSize: number;
  flushMs: number;
  /** Above this many pending items, intake waits (see whenAccepting). */
  highWater: number;
  /**
   * Also flush once no message has arrived for this long. A broker stops sending when its
   * window of unacknowledged messages is full, and then only our acknowledgements move it on,
   * so waiting out flushMs would idle the pipeline.
   */
  idleMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface StoreWriterHooks {
  /** Runs after a batch is durable and before its acknowledgements go out. */
  beforeAck?: () => void;
  onStored?: (readings: readonly Reading[], result: WriteResult) => void;
  onWriteError?: (error: unknown, attempt: number) => void;
}

interface Item {
  reading: Reading | undefined;
  ack: Ack;
}

export class StoreWriter {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastArrival = 0;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private retrying = false;
  private flushWanted = false;

  constructor(
    private readonly store: TelemetryStore,
    private options: StoreWriterOptions,
    private readonly hooks: StoreWriterHooks = {},
  ) {}

  /** A reading to store, then acknowledge. */
  add(reading: Reading, ack: Ack): void {
    this.enqueue({ reading, ack });
  }

  /** A message with nothing to store (rejected, status, event): acknowledged in order with the batch around it. */
  addAckOnly(ack: Ack): void {
    this.enqueue({ reading: undefined, ack });
  }

  /**
   * Larger batches while an in-process producer loads in bulk (the demo's history): fewer, larger
   * transactions cost the store far less. Batches go by size only (a partial one waits for
   * flush()); the returned function restores the normal batching.
   */
  bulk(batchSize: number): () => void {
    const normal = this.options;
    this.options = { ...normal, batchSize, highWater: batchSize * 2, flushMs: 1_000, idleMs: 0 };
    let restored = false;
    return () => {
      if (restored) return;
      restored = true;
      this.options = normal;
      this.flush();
    };
  }

  /** Writes everything queued now, without waiting for a full batch or the flush timer. */
  flush(): void {
    if (this.queue.length === 0) return;
    this.flushWanted = true;
    this.kick(0);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** True while a failed batch is being retried: the store is not accepting writes. */
  get isRetrying(): boolean {
    return this.retrying;
  }

  get accepting(): boolean {
    return this.queue.length < this.options.highWater;
  }

  /** Resolves when the queue is below its high-water mark; intake awaits it for back-pressure. */
  whenAccepting(): Promise<void> {
    if (this.queue.length < this.options.highWater) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    if (this.queue.length >= this.options.batchSize) this.kick(0);
    else {
      this.kick(this.options.flushMs);
      this.armIdle();
    }
  }

  /**
   * Flushes once no message has come for idleMs. Re-arming a timer for every message cost more
   * than the rest of the writer (profiled): the timer is armed once and, when it fires too early,
   * waits out what is left since the last message.
   */
  private armIdle(): void {
    if (!this.options.idleMs || this.stopped) return;
    this.lastArrival = performance.now();
    if (this.idleTimer) return;
    const idleMs = this.options.idleMs;
    const fire = () => {
      const quiet = performance.now() - this.lastArrival;
      if (quiet < idleMs && !this.stopped) {
        this.idleTimer = setTimeout(fire, idleMs - quiet);
        return;
      }
      this.idleTimer = undefined;
      if (this.queue.length > 0) this.kick(0);
    };
    this.idleTimer = setTimeout(fire, idleMs);
  }

  private kick(delay: number): void {
    if (this.flushing) return;
    if (delay === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0 && !this.stopped) {
          this.kick(this.flushWanted ? 0 : this.options.flushMs);
          this.armIdle();
        }
      });
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.kick(0);
    }, delay);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchSize);
      const readings = batch.flatMap((item) => (item.reading ? [item.reading] : []));
      const result = await this.writeWithRetry(readings);
      if (result === undefined) return; // stopped while the store was failing: leave unacknowledged
      this.queue = this.queue.slice(batch.length);
      this.hooks.beforeAck?.();
      for (const item of batch) item.ack();
      this.hooks.onStored?.(readings, result);
      this.releaseWaiters();
      if (this.queue.length === 0) this.flushWanted = false;
      else if (this.queue.length < this.options.batchSize && !this.flushWanted) return;
    }
    this.flushWanted = false;
  }

  private async writeWithRetry(readings: Reading[]): Promise<WriteResult | undefined> {
    if (readings.length === 0) return { inserted: 0, duplicates: 0 };
    const min = this.options.retryMinMs ?? 100;
    const max = this.options.retryMaxMs ?? 5_000;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.store.write(readings);
        this.retrying = false;
        return result;
      } catch (error) {
        this.retrying = true;
        this.hooks.onWriteError?.(error, attempt);
        if (this.stopped) return undefined;
        // A store may say how long to wait (InfluxDB's Retry-After); otherwise exponential backoff.
        const hinted = (error as { retryAfterMs?: unknown }).retryAfterMs;
        const backoff = Math.min(max, min * 2 ** (attempt - 1));
        const wait = typeof hinted === 'number' && hinted > 0 ? Math.min(hinted, 60_000) : backoff;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.stopped) return undefined;
      }
    }
  }

  private releaseWaiters(): void {
    if (this.queue.length >= this.options.highWater) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Writes and acknowledges what is pending, then stops. Gives up after `timeoutMs` if the store is failing. */
  async close(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.flushing) && Date.now() < deadline) {
      this.kick(0);
      await Promise.race([this.flushing, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = this.idleTimer = undefined;
    this.releaseWaiters();
  }
}
