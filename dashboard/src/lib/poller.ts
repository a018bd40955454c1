/**
 * Asks a loader at once, then again every `everyMs`, one request at a time. Starting again or
 * stopping aborts the request in flight and drops its answer. While the page is hidden or the
 * browser offline the timer asks nothing; once the page is back, a missed turn is asked for at once.
 * Plain TypeScript, no runes: lib/polling.svelte.ts holds the answers in state for the views.
 */
export type Loader<T> = (signal: AbortSignal) => Promise<T>;

export interface PollerEvents<T> {
  data(value: T): void;
  error(error: unknown): void;
  loading(busy: boolean): void;
}

/** Whether polling is worth it now: the page is shown and the browser believes it is online. */
export interface PageActivity {
  active(): boolean;
  /** Calls `listener` whenever `active()` may have changed; returns the way to stop. */
  watch(listener: () => void): () => void;
}

export interface PollerOptions {
  /** 0 or absent: asks only on start and refresh(). */
  everyMs?: number;
  activity?: PageActivity;
}

export class Poller<T> {
  // #private, not `private`: the bundle's minifier shortens these names.
  readonly #load: Loader<T>;
  readonly #events: PollerEvents<T>;
  readonly #options: PollerOptions;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unwatch: (() => void) | undefined;
  #missed = false;

  constructor(load: Loader<T>, events: PollerEvents<T>, options: PollerOptions = {}) {
    this.#load = load;
    this.#events = events;
    this.#options = options;
  }

  start(): void {
    this.stop();
    const { everyMs = 0, activity } = this.#options;
    if (everyMs > 0) {
      this.#timer = setInterval(() => this.#tick(), everyMs);
      this.#unwatch = activity?.watch(() => this.#wake());
    }
    void this.refresh();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#missed = false;
    if (this.#controller) {
      this.#controller.abort();
      this.#controller = undefined;
      this.#events.loading(false);
    }
  }

  /** Asks now, whatever the timer says; an answer still awaited is given up. */
  async refresh(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#missed = false;
    this.#events.loading(true);
    try {
      const value = await this.#load(controller.signal);
      if (!controller.signal.aborted) this.#events.data(value);
    } catch (error) {
      if (!controller.signal.aborted) this.#events.error(error);
    } finally {
      if (this.#controller === controller) {
        this.#controller = undefined;
        this.#events.loading(false);
      }
    }
  }

  #tick(): void {
    if (this.#options.activity?.active() === false) {
      this.#missed = true;
      return;
    }
    // A slow server is not asked twice at once: the next turn comes when this answer has.
    if (!this.#controller) void this.refresh();
  }

  #wake(): void {
    if (this.#missed && this.#options.activity?.active() !== false) void this.refresh();
  }
}

/** The page's visibility and the browser's idea of its network; undefined outside a browser. */
export function browserActivity(): PageActivity | undefined {
  if (typeof document === 'undefined' || typeof navigator === 'undefined') return undefined;
  return {
    active: () => document.visibilityState !== 'hidden' && navigator.onLine,
    watch(listener) {
      document.addEventListener('visibilitychange', listener);
      addEventListener('online', listener);
      addEventListener('offline', listener);
      return () => {
        document.removeEventListener('visibilitychange', listener);
        removeEventListener('online', listener);
        removeEventListener('offline', listener);
      };
    },
  };
}
