/**
 * The optional webhook (`ALERT_WEBHOOK_URL`): a JSON POST on every open, acknowledgement and
 * resolution, `{ "event": "opened"|"acknowledged"|"resolved", "alert": {…} }`. Deliveries go
 * out one at a time from a bounded queue, each with a timeout and a bounded number of retries
 * with backoff; when the queue is full the oldest delivery is dropped (and logged). The bus
 * observer only enqueues, so a slow or dead receiver never holds up ingest.
 */
import type { Alert } from '../contract/index.js';
import type { AlertChangeKind } from './alert-book.js';

export interface WebhookOptions {
  url: string;
  attempts?: number;
  /** Backoff before retry n is backoffMs × 4^(n-1). */
  backoffMs?: number;
  timeoutMs?: number;
  queueLimit?: number;
}

interface Delivery {
  event: AlertChangeKind;
  alert: Alert;
}

export class AlertWebhook {
  private readonly queue: Delivery[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  readonly stats = { delivered: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly options: WebhookOptions,
    private readonly warn: (message: string) => void,
  ) {}

  send(event: AlertChangeKind, alert: Alert): void {
    if (this.stopped) return;
    if (this.queue.length >= (this.options.queueLimit ?? 1000)) {
      this.queue.shift();
      this.stats.dropped++;
      this.warn('alert webhook: queue full, dropping the oldest delivery');
    }
    this.queue.push({ event, alert });
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves when the queue is empty (tests; shutdown waits at most a moment for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next && !this.stopped; next = this.queue.shift()) {
      await this.deliver(next);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const body = JSON.stringify(delivery);
    let last = '';
    for (let attempt = 1; attempt <= attempts && !this.stopped; attempt++) {
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        await response.body?.cancel();
        if (response.ok) {
          this.stats.delivered++;
          return;
        }
        last = `HTTP ${response.status}`;
        // A 4xx other than 408/429 will not get better by retrying.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await sleep((this.options.backoffMs ?? 1_000) * 4 ** (attempt - 1));
    }
    this.stats.failed++;
    this.warn(`alert webhook: ${delivery.event} ${delivery.alert.id} not delivered (${last})`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
