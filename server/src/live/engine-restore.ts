/**
 * What the live engine takes from the store: at start-up, the state the stream would have built
 * had the server been running; every hour, the baselines. Each domain's module says what that is
 * (its live part's `restore` and `refreshBaselines`: domains/<domain>/<domain>-restore.ts); this
 * file asks them in turn. Only the baselines and the start-up state come from here; live values
 * come from the bus.
 */
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { FromStore } from '../domains/domain-module.js';
import { domainModules } from '../domains/registry.js';
import type { Domain } from '../contract/index.js';
import type { TelemetryStore } from '../store/port.js';
import type { IndicatorEngine } from './indicator-engine.js';
import { restoreTrends } from './trend-restore.js';

/**
 * The DuckDB adapter runs one query per selector: past this many devices of a domain the
 * start-up restore would take minutes, so big fleets start from the stream alone.
 */
export const RESTORE_DEVICE_LIMIT = 500;

function devicesOf(domain: string, all: readonly DeviceConfig[]): DeviceConfig[] {
  const list = all.filter((d) => d.domain === domain);
  return list.length <= RESTORE_DEVICE_LIMIT ? list : [];
}

function fromStore(
  engine: IndicatorEngine,
  store: TelemetryStore,
  domain: Domain,
  devices: DeviceConfig[],
  now: number,
): FromStore<unknown> {
  return { store, devices, states: engine.statesOf(domain), now, timeZone: engine.timeZone };
}

export async function restoreFromStore(
  engine: IndicatorEngine,
  store: TelemetryStore,
  devices: Iterable<DeviceConfig>,
  lastSeen: ReadonlyMap<string, number>,
  now: number,
): Promise<void> {
  const all = [...devices];
  const restored: DeviceConfig[] = [];
  for (const { domain, live } of domainModules()) {
    const mine = devicesOf(domain, all);
    restored.push(...mine);
    const shown = await live?.restore?.(fromStore(engine, store, domain, mine, now), lastSeen);
    if (shown) engine.touch(shown);
  }
  await restoreTrends(engine, store, restored, now);
  await refreshBaselines(engine, store, all, now);
}

export async function refreshBaselines(
  engine: IndicatorEngine,
  store: TelemetryStore,
  devices: Iterable<DeviceConfig>,
  now: number,
): Promise<void> {
  const all = [...devices];
  for (const { domain, live } of domainModules())
    await live?.refreshBaselines?.(fromStore(engine, store, domain, devicesOf(domain, all), now));
  engine.touchGroups();
}
