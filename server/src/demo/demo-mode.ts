/**
 * `npm run demo`: the simulated fleet in-process, after a simulated history (demo-history.ts). On
 * an empty data folder the history runs from the earliest experiment baseline in the portfolio
 * (or DEMO_HISTORY_FROM) to now; on a folder that already holds readings it fills only the gap
 * since the newest one. The same fleet then goes on live, so registers and bins continue where
 * the history ends.
 */
import { ConfigError } from '../config/config-error.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import type { Runtime } from '../runtime.js';
import { historyStart, loadHistory, resumeFromStore } from './demo-history.js';
import type { HistoryStatus } from './history-status.js';

export { historyStart };

/** The demo's own faults, low: now and then a sensor drops out or sticks, so alerts have something to show. */
export const DEMO_FAULTS = { offline: 0.0005, stuck: 0.0003, duplicate: 0.001, out_of_order: 0.0005 };
/**
 * The same per reading once live after the history, where a device reports 300 times per registry
 * interval: a sensor sticks for half a minute a few times an hour (the stuck rule counts readings),
 * and one drops out (for 1 to 12 hours) about every two hours across the fleet.
 */
export const DEMO_LIVE_FAULTS = { offline: 0.00002, stuck: 0.0002, duplicate: 0.001, out_of_order: 0.0005 };
const DEMO_SEED = 42;
const DEMO_SPEED = 300;

export interface Demo {
  stop(): Promise<void>;
}

export async function startDemo(
  runtime: Runtime,
  registry: Registry,
  settings: Settings,
  status: HistoryStatus,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<Demo> {
  const { Fleet } = await import('../../../simulators/src/fleet.js');
  const { startLiveFleet } = await import('../../../simulators/src/live.js');
  const { SIM_FORMATS } = await import('../../../simulators/src/source-formats.js');
  const format = SIM_FORMATS.find((f) => f === (settings.demoFormat ?? 'native'));
  if (!format)
    throw new ConfigError(
      'DEMO_FORMAT',
      `expected one of ${SIM_FORMATS.join(', ')}, got "${settings.demoFormat}"`,
    );
  const topicRoot = settings.mqtt.topicRoot;
  const fleet = new Fleet({ registry, seed: DEMO_SEED, topicRoot, faults: DEMO_FAULTS });
  const start = historyStart(registry, settings.demoHistoryFrom);
  let liveFleet: typeof fleet | undefined;
  if (start !== null) {
    try {
      const finished = await loadHistory({ runtime, registry, settings, fleet, start, status, signal, log });
      if (!finished) return { stop: async () => undefined };
      // The history's fleet goes on live in the native contract; a vendor format (DEMO_FORMAT) has its own,
      // from the stored values.
      liveFleet = fleet;
      if (format !== 'native') {
        liveFleet = new Fleet({ registry, seed: DEMO_SEED, topicRoot, format });
        await resumeFromStore(liveFleet, runtime, registry);
      }
      liveFleet.setFaults(DEMO_LIVE_FAULTS);
    } catch (error) {
      // The product works without its history: the banner says so, and a fresh fleet goes live.
      log(`demo: the simulated history failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const live = await startLiveFleet({
    registry,
    mqttUrl: runtime.mqttUrl,
    topicRoot,
    ...(settings.mqtt.deviceKey !== undefined ? { deviceKey: settings.mqtt.deviceKey } : {}),
    speed: DEMO_SPEED,
    // After a history the clock is real (readings 300 times as often), so live values meet their baselines.
    realtime: liveFleet !== undefined,
    seed: DEMO_SEED,
    format,
    fleet: liveFleet,
    faults: DEMO_FAULTS,
    log: (line) => log(`simulator: ${line}`),
  });
  log(`demo: simulated fleet of ${registry.devices.size} devices publishing`);
  return live;
}
