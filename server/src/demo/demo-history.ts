/**
 * The demo's simulated history: the fleet stepped from the history's start (or the newest stored
 * reading) up to now, every message through the ingest's own intake (validation, counters,
 * idempotent store) but not through the live observers; the live state is then rebuilt from the
 * store, as at start-up. Returns when what it wrote is durable.
 */
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { LocalCalendar } from '../calendar/city-calendar.js';
import type { Runtime } from '../runtime.js';
import type { Fleet } from '../../../simulators/src/fleet.js';
import type { HistoryStatus } from './history-status.js';

const IMPORT_FLOOR_MS = Date.parse('2000-01-01T00:00:00Z');
/**
 * Readings per store write during the fill: a batch is one transaction, and a few large ones cost
 * the store far less than many of the live ingest's size (docs/performance.md, the demo's history).
 */
export const HISTORY_BATCH = 50_000;

/** The local date the history starts at: DEMO_HISTORY_FROM, else the portfolio's earliest baseline. */
export function historyStart(registry: Registry, from: Settings['demoHistoryFrom']): string | null {
  if (from === null) return null;
  if (from !== 'portfolio') return from;
  const baselines = registry.portfolio.pilots
    .flatMap((p) => p.experiments.map((e) => e.baseline.from))
    .sort();
  return baselines[0] ?? null;
}

export interface HistoryRun {
  runtime: Runtime;
  registry: Registry;
  settings: Settings;
  fleet: Fleet;
  /** Local date YYYY-MM-DD. */
  start: string;
  status: HistoryStatus;
  signal: AbortSignal;
  log: (line: string) => void;
  now?: number;
}

/** The fleet goes on from the stored values (meter registers, bin fill and battery), not from its seed. */
export async function resumeFromStore(fleet: Fleet, runtime: Runtime, registry: Registry): Promise<void> {
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

/** Fills the history; false when it was stopped (signal) before it finished. */
export async function loadHistory(run: HistoryRun): Promise<boolean> {
  const { runtime, registry, settings, fleet, status, signal, log } = run;
  const { fillHistory } = await import('../../../simulators/src/history.js');
  const { Progress } = await import('../../../simulators/src/progress.js');
  const calendar = new LocalCalendar(registry.portfolio.timezone);
  const seen = await runtime.store.lastSeen();
  const newest = Math.max(0, ...seen.values());
  const now = run.now ?? Date.now();
  const from = Math.max(calendar.startOf(run.start), newest + 1);
  status.from = calendar.dateOf(from);
  if (newest > 0) await resumeFromStore(fleet, runtime, registry);
  if (from >= now) {
    status.state = 'done';
    return true;
  }
  status.state = 'loading';
  log(`demo: simulated history from ${status.from} to now (DEMO_HISTORY=off skips it)`);
  const progress = new Progress('history', 'readings');
  const options = {
    topicRoot: settings.mqtt.topicRoot,
    maxAgeMs: now - IMPORT_FLOOR_MS,
    maxFutureMs: settings.ingest.maxFutureMs,
  };
  const normalBatches = runtime.writer.bulk(HISTORY_BATCH);
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
        flush: () => runtime.writer.flush(),
      },
      signal,
      ({ fraction, messages }) => {
        status.fraction = fraction;
        status.messages = messages;
        progress.update(fraction, messages);
        // Without a terminal (a log file, a container) a line every quarter instead of the bar.
        if (!progress.enabled && fraction >= reported + 0.25) {
          reported = Math.floor(fraction * 4) / 4;
          log(`demo: history ${Math.round(reported * 100)} % (${messages.toLocaleString('en')} readings)`);
        }
      },
    );
    progress.done(result.messages);
    const rate = Math.round(result.messages / (result.ms / 1000));
    log(
      `demo: history stored, ${result.messages.toLocaleString('en')} readings in ${(result.ms / 1000).toFixed(1)} s (${rate.toLocaleString('en')}/s)`,
    );
    if (signal.aborted) return false;
    normalBatches();
    await runtime.restoreLive();
    status.state = 'done';
    return true;
  } catch (error) {
    status.state = 'failed';
    throw error;
  } finally {
    normalBatches();
  }
}
