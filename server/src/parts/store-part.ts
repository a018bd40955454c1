/** The telemetry store: InfluxDB when INFLUX_URL is set, else the embedded DuckDB file. */
import { ConfigError } from '../config/config-error.js';
import type { Settings } from '../config/settings.js';
import { createStore, storeSettingName } from '../store/create-store.js';
import type { TelemetryStore } from '../store/port.js';
import { startedValue, type Part } from './part.js';
import { firstLine, StartupError } from './startup-error.js';

export class StorePart implements Part {
  readonly name = 'store';
  private opened: TelemetryStore | undefined;
  private created: TelemetryStore | undefined;

  constructor(private readonly settings: Settings) {}

  get store(): TelemetryStore {
    return startedValue(this.opened, this.name);
  }

  async start(): Promise<void> {
    const store = createStore(this.settings, (line) => process.stderr.write(`${line}\n`));
    this.created = store;
    try {
      await store.open();
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new StartupError(
        `${storeSettingName(this.settings)}: cannot open the ${store.kind} store (${firstLine(error)})`,
      );
    }
    this.opened = store;
  }

  async stop(): Promise<void> {
    await this.created?.close();
  }
}
