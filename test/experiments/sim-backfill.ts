/**
 * Backfills simulated readings into a store in-process: the simulators' fleet
 * produces the payloads, the ingest's own `classify` turns them into readings
 * (so the store holds exactly what the server would have stored), and the
 * truth report says what was planted.
 */
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Registry } from '../../server/src/config/registry.js';
import type { Domain, Reading } from '../../server/src/contract/index.js';
import { DEFAULT_TOPIC_ROOT } from '../../server/src/contract/index.js';
import { classify } from '../../server/src/ingest/classify.js';
import type { TelemetryStore } from '../../server/src/store/port.js';
import { parseTime } from '../../simulators/src/clock.js';
import type { FaultRates } from '../../simulators/src/faults.js';
import { generateRange } from '../../simulators/src/generate.js';
import { EMPTY_SCENARIO, loadScenario, type Scenario } from '../../simulators/src/scenario.js';
import { truthReport } from '../../simulators/src/truth-report.js';
import { Truth } from '../../simulators/src/truth.js';

export const PORTFOLIO = 'config/portfolio.yaml';
export const NO_EFFECT = 'simulators/scenarios/no-effect.yaml';

export interface TruthKpi {
  kpi: string;
  unit?: string;
  planted_relative_effect: number | null;
  actual?: number | null;
  counterfactual?: number | null;
  effect?: number | null;
  relative_effect?: number | null;
}

export interface TruthJson {
  experiments: { id: string; kpis: TruthKpi[] }[];
  weather: { date: string; mean_temp_c: number; hdd: number; rain: boolean }[];
}

export interface BackfillOptions {
  store: TelemetryStore;
  seed: number;
  /** Local dates [from, to) to simulate; several ranges share one truth (skipping months nobody analyses). */
  ranges: readonly (readonly [string, string])[];
  domains: readonly Domain[];
  scenario?: string;
  faults?: FaultRates;
  registry?: Registry;
}

export async function backfill(options: BackfillOptions): Promise<{ truth: TruthJson; stored: number }> {
  const registry = options.registry ?? loadRegistry(PORTFOLIO);
  const ranges = options.ranges.map(([a, b]) => [parseTime(a) ?? 0, parseTime(b) ?? 0] as const);
  const from = Math.min(...ranges.map((r) => r[0]));
  const to = Math.max(...ranges.map((r) => r[1]));
  const scenario: Scenario = options.scenario ? loadScenario(options.scenario) : EMPTY_SCENARIO;
  const truth = new Truth();
  // Only the families asked for: fleetDevices keeps the first N devices of each family.
  const sizes = Object.fromEntries(
    (['waste', 'mobility', 'energy'] as const).map((d) => [
      d,
      options.domains.includes(d) ? registry.portfolio.devices.filter((x) => x.domain === d).length : 0,
    ]),
  );
  const classifyOptions = { topicRoot: DEFAULT_TOPIC_ROOT, maxAgeMs: 10 * 365 * 86_400_000, maxFutureMs: 0 };
  let batch: Reading[] = [];
  let stored = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await options.store.write(batch);
    stored += result.inserted;
    batch = [];
  };
  for (const [rangeFrom, rangeTo] of ranges) {
    for (const out of generateRange({
      registry,
      seed: options.seed,
      from: rangeFrom,
      to: rangeTo,
      sizes,
      scenario,
      truth,
      faults: options.faults ?? {},
      now: () => to,
    })) {
      for (const message of out.messages) {
        if (message.kind !== 'telemetry') continue;
        const payload =
          typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
        const outcome = classify(registry, classifyOptions, message.topic, Buffer.from(payload), to);
        if (outcome.kind === 'reading') batch.push(outcome.reading);
      }
      if (batch.length >= 20_000) await flush();
    }
  }
  await flush();
  const report = truthReport(truth, registry, scenario, {
    seed: options.seed,
    mode: 'backfill',
    from,
    to,
    fleet: sizes,
    faults: options.faults ?? {},
  }) as TruthJson;
  return { truth: report, stored };
}
