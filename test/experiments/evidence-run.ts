/**
 * One calibration run, the way a city deploys the product: a started server (its own broker, store
 * and data folder), simulated history — every device, the weather station included — posted
 * through the ingest's own door (POST /api/ingest/batch), and each experiment's effects read from
 * GET /api/experiments/:id/effects. The simulators' truth is only used to score the answers; nothing
 * of it reaches the server.
 *
 * Shared by evidence.int.test.ts (a small grid in CI) and scripts/coverage-check.ts (the full grid).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Domain } from '../../server/src/contract/index.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { parseTime } from '../../simulators/src/clock.js';
import { generateRange } from '../../simulators/src/generate.js';
import { loadScenario } from '../../simulators/src/scenario.js';
import { truthReport } from '../../simulators/src/truth-report.js';
import { Truth } from '../../simulators/src/truth.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';

export const PORTFOLIO = 'config/portfolio.yaml';

/** What a run plants: the retrofit's savings, the bike lane's uplifts, and whether smart collection runs. */
export interface Planted {
  savings: number;
  bicycle: number;
  escooter: number;
  smartCollection: boolean;
}

/**
 * The portfolio's own periods, ending on a fixed date so runs repeat: energy's winter baseline and
 * its autumn reporting period, waste's and mobility's summer baseline and autumn. Months no
 * experiment reads are not simulated, but for a month before each baseline: sensors run before an
 * experiment starts, and without it the bins' made-up first fills would sit in the baseline (a
 * transient that moved the wasted-trip share by 0.04 on its own).
 */
export interface Periods {
  /** Exclusive end of the analysis, a local date. */
  end: string;
  ranges: readonly { from: string; to: string; domains: readonly Domain[] }[];
}

export const PORTFOLIO_PERIODS: Periods = {
  end: '2026-12-01',
  ranges: [
    { from: '2025-10-01', to: '2026-05-01', domains: ['energy', 'weather'] },
    { from: '2026-05-01', to: '2026-12-01', domains: ['waste', 'mobility', 'energy', 'weather'] },
  ],
};

/**
 * The history a new user publishes in the acceptance of issue #15 (`npm run simulate -- --from
 * 2025-11-01`): every device for thirteen months, up to the day those runs were made. Longer than
 * the portfolio's periods: waste and mobility then have sensors running since the winter.
 */
export const ACCEPTANCE_PERIODS: Periods = {
  end: '2026-12-04',
  ranges: [{ from: '2025-11-01', to: '2026-12-04', domains: ['waste', 'mobility', 'energy', 'weather'] }],
};

export interface Check {
  experiment: string;
  kpi: string;
  method: string;
  unit: string;
  primary: boolean;
  estimate: number;
  ci_low: number;
  ci_high: number;
  truth: number | null;
  covered: boolean | null;
  planted: number | null;
  notes: string[];
}

interface EffectBody {
  kpi: string;
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  unit: string;
  method: string;
  diagnostics: Record<string, unknown>;
  notes: { code: string }[];
}

interface TruthKpi {
  kpi: string;
  effect?: number | null;
  relative_effect?: number | null;
}

const LINES_PER_POST = 50_000;

function scenarioFile(planted: Planted): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-scenario-')), 'scenario.yaml');
  writeFileSync(
    path,
    [
      'experiments:',
      '  school-retrofit:',
      `    savings_fraction: ${planted.savings}`,
      '  rustaveli-bike-lane:',
      `    bicycle_uplift: ${planted.bicycle}`,
      `    escooter_uplift: ${planted.escooter}`,
      '  smart-collection:',
      `    intervention_policy: ${planted.smartCollection ? 'threshold' : 'schedule'}`,
      '',
    ].join('\n'),
  );
  return path;
}

async function post(server: ServerUnderTest, lines: string[]): Promise<void> {
  const response = await server.fetch('/api/ingest/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${lines.join('\n')}\n`,
  });
  if (!response.ok) throw new Error(`ingest batch: HTTP ${response.status} ${await response.text()}`);
  const result = (await response.json()) as {
    rejected: { total: number; by_reason: Record<string, number> };
  };
  if (result.rejected.total > 0)
    throw new Error(`ingest batch rejected readings: ${JSON.stringify(result.rejected.by_reason)}`);
}

/** Posts the simulated history of `seed` with `planted` effects; returns the truth report (for scoring only). */
export async function publishHistory(
  server: ServerUnderTest,
  seed: number,
  planted: Planted,
  periods: Periods = PORTFOLIO_PERIODS,
) {
  const registry = loadRegistry(PORTFOLIO);
  const scenario = loadScenario(scenarioFile(planted));
  const truth = new Truth();
  // Each range starts its own fleet; devices continue from their last values (a meter's register
  // keeps counting across the months nobody simulates, as it would in the field).
  const latest = new Map<string, Record<string, number>>();
  let lines: string[] = [];
  for (const range of periods.ranges) {
    const sizes = Object.fromEntries(
      (['waste', 'mobility', 'energy', 'weather'] as const).map((d) => [
        d,
        (range.domains as readonly string[]).includes(d)
          ? registry.portfolio.devices.filter((x) => x.domain === d).length
          : 0,
      ]),
    );
    for (const batch of generateRange({
      registry,
      seed,
      topicRoot: server.topicRoot,
      from: parseTime(range.from) ?? 0,
      to: parseTime(range.to) ?? 0,
      sizes,
      scenario,
      truth,
      resume: latest,
    })) {
      for (const m of batch.messages) {
        lines.push(JSON.stringify({ topic: m.topic, payload: m.payload }));
        if (typeof m.payload !== 'object') continue;
        const values = latest.get(m.device) ?? {};
        for (const [field, value] of Object.entries(m.payload))
          if (typeof value === 'number') values[field] = value;
        latest.set(m.device, values);
      }
      if (lines.length >= LINES_PER_POST) {
        await post(server, lines);
        lines = [];
      }
    }
  }
  if (lines.length > 0) await post(server, lines);
  const first = periods.ranges[0] ?? { from: periods.end };
  return truthReport(truth, registry, scenario, {
    seed,
    mode: 'backfill',
    from: parseTime(first.from) ?? 0,
    to: parseTime(periods.end) ?? 0,
    fleet: {},
    faults: {},
  }) as { experiments: { id: string; kpis: TruthKpi[] }[] };
}

const PLANTED_KPI: Record<string, (p: Planted) => number> = {
  'school-retrofit/savings_fraction': (p) => p.savings,
  'school-retrofit/daily_kwh': (p) => -p.savings,
  'rustaveli-bike-lane/daily_bicycle': (p) => p.bicycle,
  'rustaveli-bike-lane/daily_escooter': (p) => p.escooter,
};

/** Starts a server, posts one seed's history, reads every experiment's effects and scores them. */
export async function evidenceRun(
  seed: number,
  planted: Planted,
  periods: Periods = PORTFOLIO_PERIODS,
  env: Record<string, string> = {},
): Promise<Check[]> {
  const server = await startServerUnderTest(undefined, env, PORTFOLIO);
  try {
    const truth = await publishHistory(server, seed, planted, periods);
    const registry = loadRegistry(PORTFOLIO);
    const to = new LocalCalendar(registry.portfolio.timezone).startOf(periods.end);
    const checks: Check[] = [];
    // The experiments come from the server; the truth is looked up only to score each answer.
    const listed = await server.fetch('/api/experiments');
    if (!listed.ok) throw new Error(`experiments: HTTP ${listed.status}`);
    for (const { id } of (await listed.json()) as { id: string }[]) {
      const kpis = truth.experiments.find((x) => x.id === id)?.kpis ?? [];
      const response = await server.fetch(`/api/experiments/${id}/effects?to=${to}`);
      if (!response.ok) throw new Error(`effects of ${id}: HTTP ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { effects: EffectBody[] };
      for (const e of body.effects) {
        if (e.estimate === null || e.ci_low === null || e.ci_high === null) continue;
        const k = kpis.find((x) => x.kpi === e.kpi);
        const target = (e.unit === 'relative change' ? k?.relative_effect : k?.effect) ?? null;
        checks.push({
          experiment: id,
          kpi: e.kpi,
          method: e.method,
          unit: e.unit,
          primary: e.diagnostics.primary === true,
          estimate: e.estimate,
          ci_low: e.ci_low,
          ci_high: e.ci_high,
          truth: target,
          covered: target === null ? null : e.ci_low <= target && target <= e.ci_high,
          planted: PLANTED_KPI[`${id}/${e.kpi}`]?.(planted) ?? null,
          notes: e.notes.map((n) => n.code),
        });
      }
    }
    return checks;
  } finally {
    await server.runtime.stop();
  }
}
