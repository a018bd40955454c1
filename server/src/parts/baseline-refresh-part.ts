/**
 * The live baselines (last week's counts, the 7-day power profile) move on with the hour: a cheap
 * query just after each hour starts.
 */
import type { Registry } from '../config/registry.js';
import { refreshBaselines } from '../live/engine-restore.js';
import type { LiveStatePart } from './live-state-part.js';
import type { Log, Part } from './part.js';
import { firstLine } from './startup-error.js';
import type { StorePart } from './store-part.js';

const HOUR_MS = 3_600_000;
/** After the hour, so the last readings of the hour that ended are in the store. */
const AFTER_HOUR_MS = 5_000;

export class BaselineRefreshPart implements Part {
  readonly name = 'baseline refresh';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly store: StorePart,
    private readonly live: LiveStatePart,
    private readonly log: Log,
  ) {}

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // The store closes after this part: let a refresh under way finish first.
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.running = refreshBaselines(
          this.live.engine,
          this.store.store,
          this.registry.devices.values(),
          Date.now(),
        )
          .catch((error: unknown) => this.log.warn(`live: baseline refresh failed: ${firstLine(error)}`))
          .finally(() => {
            this.running = undefined;
            this.schedule();
          });
      },
      HOUR_MS - (Date.now() % HOUR_MS) + AFTER_HOUR_MS,
    );
  }
}
