/**
 * `npm run demo`: the simulated fleet in-process, after a simulated history. On an empty data folder
 * the history runs from the earliest experiment baseline in the portfolio (or DEMO_HISTORY_FROM) to
 * now; on a folder that already holds readings it fills only the gap since the newest one. The
 * history goes through the ingest's own intake (validation, counters, idempotent store) but not
 * through the live observers; the live state is then rebuilt from the store, as at start-up, and
 * the same fleet goes on live, so registers and bins continue where the history ends.
 */
import { ConfigError } from '../config/config-error.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { LocalCalendar } from '../calendar/city-calendar.js';
import type { Runtime } from '../runtime.js';
import type { HistoryStatus } from './history-status.js';

/** The demo's own faults, low: now and then a sensor drops out or sticks, so alerts have something to show. */
const DEMO_FAULTS = { offline: 0.0005, stuck: 0.0003, duplicate: 0.001, out_of_order: 0.0005 };
const DEMO_SEED = 42;
const DEMO_SPEED = 300;
const IMPORT_FLOOR_MS = Date.parse('2000-01-01T00:00:00Z');

export interface Demo {
  stop(): Promise<void>;
}

export function historyStart(registry: Registry, from: Settings['demoHistoryFrom']): string | null {
  if (from === null) return null;
  if (from !== 'portfolio') return from;
  const baselines = registry.portfolio.pilots
    .flatMap((p) => p.experiments.map((e) => e.baseline.from))
    .sort();
  return baselines[0] ?? null;
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
  const { fillHistory } = await import('../../../simulators/src/history.js');
  const { startLiveFleet } = await import('../../../simulators/src/live.js');
  const { Progress } = await import('../../../simulators/src/progress.js');
  const { SIM_FORMATS } = await import('../../../simulators/src/source-formats.js');
  const format = SIM_FORMATS.find((f) => f === (settings.demoFormat ?? 'native'));
  if (!format)
    throw new ConfigError(
      'DEMO_FORMAT',
      `expected one of ${SIM_FORMATS.join(', ')}, got "${settings.demoFormat}"`,
    );
  const topicRoot = settings.mqtt.topicRoot;
  const fleet = new Fleet({ registry, seed: DEMO_SEED, topicRoot, faults: DEMO_FAULTS });
  const calendar = new LocalCalendar(registry.portfolio.timezone);
  const start = historyStart(registry, settings.demoHistoryFrom);

  if (start !== null) {
    const seen = await runtime.store.lastSeen();
    const newest = Math.max(0, ...seen.values());
    const now = Date.now();
    const from = Math.max(calendar.startOf(start), newest + 1);
    status.from = calendar.dateOf(from);
    if (newest > 0) {
      const latest = await runtime.store.latest([...registry.devices.keys()]);
      fleet.resume(
        new Map(
          [...latest].map(([id, values]) => [
            id,
            Object.fromEntries(Object.entries(values).map(([m, v]) => [m, v.value])),
          ]),
        ),
      );
    }
    if (from < now) {
      status.state = 'loading';
      log(`demo: simulated history from ${status.from} to now (DEMO_HISTORY=off skips it)`);
      const progress = new Progress('history');
      const options = {
        topicRoot,
        maxAgeMs: now - IMPORT_FLOOR_MS,
        maxFutureMs: settings.ingest.maxFutureMs,
      };
      let reported = 0;
      try {
        const result = await fillHistory(
          fleet,
          from,
          now,
          {
            accept: (topic, payload, ack) =>
              runtime.intake.acceptObject(options, topic, payload, ack, { live: false }),
            accepting: () => runtime.intake.accepting,
            whenAccepting: () => runtime.intake.whenAccepting(),
          },
          signal,
          ({ fraction, messages }) => {
            status.fraction = fraction;
            status.messages = messages;
            progress.update(fraction, messages);
            if (fraction >= reported + 0.25) {
              reported = Math.floor(fraction * 4) / 4;
              log(
                `demo: history ${Math.round(fraction * 100)} % (${messages.toLocaleString('en')} readings)`,
              );
            }
          },
        );
        progress.done(result.messages);
        log(
          `demo: history stored, ${result.messages.toLocaleString('en')} readings in ${(result.ms / 1000).toFixed(1)} s (${Math.round(result.messages / (result.ms / 1000)).toLocaleString('en')}/s)`,
        );
        if (signal.aborted) return { stop: async () => undefined };
        await runtime.restoreLive();
        status.state = 'done';
      } catch (error) {
        status.state = 'failed';
        throw error;
      }
    } else status.state = 'done';
  }

  const live = await startLiveFleet({
    registry,
    mqttUrl: runtime.mqttUrl,
    topicRoot,
    ...(settings.mqtt.deviceKey !== undefined ? { deviceKey: settings.mqtt.deviceKey } : {}),
    speed: DEMO_SPEED,
    seed: DEMO_SEED,
    format,
    // The history's fleet goes on live in the native contract; a vendor format (DEMO_FORMAT) starts its own.
    fleet: start !== null && format === 'native' ? fleet : undefined,
    faults: DEMO_FAULTS,
    log: (line) => log(`simulator: ${line}`),
  });
  log(`demo: simulated fleet of ${registry.devices.size} devices publishing`);
  return live;
}
