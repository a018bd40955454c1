/**
 * The demo's simulated history while the server loads it (GET /api/health, a public route):
 * asked at start, then every ~2 s while it loads. `finished` counts the loads this page saw end,
 * so the open view can fetch again and show what the history brought.
 */
import { fetchHealth } from './api.js';

export type HistoryState = 'off' | 'loading' | 'done' | 'failed';

export const HISTORY_POLL_MS = 2_000;
/** A server that has just started may not have begun its history yet: asked this many times more. */
const EARLY_ASKS = 2;

export class HistoryLoad {
  state = $state<HistoryState>('off');
  percent = $state(0);
  finished = $state(0);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asks = 0;

  start(): void {
    if (this.asks === 0) void this.poll();
  }

  private async poll(): Promise<void> {
    this.asks += 1;
    let next = this.state;
    try {
      const body = await fetchHealth();
      next = body.history?.state ?? 'off';
      this.percent = body.history?.percent ?? 0;
    } catch {
      // No answer (offline, restarting): keep what is shown; asked again while it was loading.
    }
    if (this.state === 'loading' && next === 'done') this.finished += 1;
    this.state = next;
    if (next === 'loading' || (next === 'off' && this.asks <= EARLY_ASKS))
      this.timer = setTimeout(() => void this.poll(), HISTORY_POLL_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
