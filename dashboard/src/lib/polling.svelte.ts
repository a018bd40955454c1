/**
 * The answer of a GET that a view shows and keeps current: `data` (kept when a later ask fails, so
 * a crew out of signal still sees it), `error`, `loading` and `refresh()`. Create it while a
 * component initialises: it asks whenever what `source` reads changes, every `everyMs` while the
 * page is shown and online, and stops when the component is destroyed.
 */
import { untrack } from 'svelte';
import { Poller, browserActivity, type Loader } from './poller.js';

export interface PollingOptions {
  /** Asks again this often; absent: only when the inputs change or on refresh(). */
  everyMs?: number;
}

export class Polling<T> {
  data = $state.raw<T | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  loading = $state(false);
  #poller: Poller<T> | undefined;

  /**
   * `source` reads the inputs (they are tracked) and returns the loader for them, or undefined
   * while there is nothing to ask. The loader runs untracked, so read the inputs in `source`.
   */
  constructor(source: () => Loader<T> | undefined, options: PollingOptions = {}) {
    $effect(() => {
      const load = source();
      if (!load) return;
      const poller = new Poller(
        load,
        {
          data: (value) => {
            this.data = value;
            this.error = undefined;
          },
          error: (error) => (this.error = error instanceof Error ? error.message : String(error)),
          loading: (busy) => (this.loading = busy),
        },
        { everyMs: options.everyMs, activity: browserActivity() },
      );
      this.#poller = poller;
      untrack(() => poller.start());
      return () => {
        poller.stop();
        if (this.#poller === poller) this.#poller = undefined;
      };
    });
  }

  refresh(): void {
    void this.#poller?.refresh();
  }
}
