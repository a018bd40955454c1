/** The live state: the device tracker and the indicator engine, restored from the store before ingest starts. */
import type { Registry } from '../config/registry.js';
import { DeviceTracker } from '../live/device-tracker.js';
import { restoreFromStore } from '../live/engine-restore.js';
import { IndicatorEngine } from '../live/indicator-engine.js';
import { startedValue, type Part } from './part.js';
import type { StorePart } from './store-part.js';

export class LiveStatePart implements Part {
  readonly name = 'live state';
  readonly tracker: DeviceTracker;
  private engineValue: IndicatorEngine | undefined;
  private startupLastSeen: ReadonlyMap<string, number> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly store: StorePart,
  ) {
    this.tracker = new DeviceTracker(registry);
  }

  get engine(): IndicatorEngine {
    return startedValue(this.engineValue, this.name);
  }

  /**
   * Each device's newest reading time in the store at start-up, for the one part that restores from
   * it after this one (alerts); handed over once, not kept (50,000 devices' worth of strings).
   */
  takeLastSeen(): ReadonlyMap<string, number> {
    const lastSeen = startedValue(this.startupLastSeen, this.name);
    this.startupLastSeen = new Map();
    return lastSeen;
  }

  async start(): Promise<void> {
    // Restored before ingest starts, so no live reading can be counted twice.
    const engine = new IndicatorEngine(this.registry, this.tracker, Date.now());
    this.startupLastSeen = await this.restore(engine);
    this.engineValue = engine;
  }

  /**
   * Rebuilds the live state from the store, as at start-up, after a bulk fill that did not pass
   * through it (the demo's history); returns each device's newest reading time, for the alerts.
   */
  async restoreAgain(): Promise<ReadonlyMap<string, number>> {
    const engine = this.engine;
    const lastSeen = await this.restore(engine);
    engine.touch(this.registry.devices.keys());
    engine.touchGroups();
    return lastSeen;
  }

  private async restore(engine: IndicatorEngine): Promise<ReadonlyMap<string, number>> {
    const store = this.store.store;
    const lastSeen = await store.lastSeen();
    this.tracker.restoreLastSeen(lastSeen);
    this.tracker.restoreValues(await store.latest([...this.registry.devices.keys()]));
    await restoreFromStore(engine, store, this.registry.devices.values(), lastSeen, Date.now());
    return lastSeen;
  }

  stop(): void {
    // Memory only: nothing to release.
  }
}
