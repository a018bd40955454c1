/**
 * Smart collection's effect with the old round replayed as the counterfactual
 * (round-replay.ts): each intervention bin's round is learned from its
 * baseline collections and replayed on its reporting-period readings; the effect on a KPI is the
 * measured value minus the replayed one over the same bin-days. The KPI definitions are the
 * catalogue's own (kpi-catalog.ts), applied to the replayed bin-days.
 *
 * Interval: reporting days resampled in blocks (the measured and the replayed value of a day stay
 * together), with the small-sample correction of the other day-block intervals. The replay of the
 * baseline on itself must come back to what was measured there; what it misses by is the replay's
 * own error (the sensor's view of a fill versus the fill itself), reported as `baseline_check` and
 * added to both ends of the interval. Without it, a policy that changed nothing replays its own
 * readings almost exactly, and an interval a few thousandths wide missed the true zero by one.
 */
import type { WasteDevice } from '../../config/portfolio-schema.js';
import type { Registry } from '../../config/registry.js';
import { addDays, type LocalCalendar } from '../../calendar/city-calendar.js';
import { fillColumns, type WasteOptions } from './collections.js';
import { learnRound, replayRound, type LearnedRound, type ReplayDay } from './round-replay.js';
import type { BinDay } from './waste-kpis.js';
import type { TelemetryStore } from '../../store/port.js';
import { binFills } from './bin-fills.js';
import type { IntervalEstimate } from '../../experiments/did.js';
import { disagree, effect, type Effect } from '../../experiments/effect.js';
import type { AnalysisWindow, DomainDays, ExperimentRef } from '../../experiments/experiment-data.js';
import type { KpiSpec, UnitDay } from '../../experiments/kpi-catalog.js';
import type { AnalysisSettings } from '../../experiments/settings.js';
import {
  drawBlocks,
  smallSampleInterval,
  type BootstrapOptions,
} from '../../experiments/stats/block-bootstrap.js';
import { seededRandom } from '../../experiments/stats/seeded-random.js';

/**
 * The most raw points one load holds (250 bins' year at 15 minutes), so a load's size follows the
 * window: a quarter's baseline of 252 bins is one load, not a load of 250 and one of 2 (each load
 * scans the period's rows of every device). Fewer bins where the store reads per series (its
 * rollups' devicesPerLoad).
 */
const MAX_POINTS_PER_LOAD = 250 * 35_000;

const NO_READINGS = fillColumns([]);

/** A round that explains less of a bin's baseline collections than this is not one to replay. */
export const MIN_EXPLAINED = 0.8;

export interface WasteReplay {
  rounds: ({ device: string } & LearnedRound)[];
  /** Every intervention bin had a regular round (see MIN_EXPLAINED). */
  regular: boolean;
  /** The replayed bin-days: the baseline (a check) and the reporting period. */
  pre: Extract<DomainDays, { domain: 'waste' }>;
  post: Extract<DomainDays, { domain: 'waste' }>;
}

function binDays(bin: WasteDevice, days: readonly ReplayDay[]): BinDay[] {
  return days.map((d) => ({ ...d, device: bin.id, site: bin.site, coverage: 1, max_fill: Number.NaN }));
}

export async function loadWasteReplay(
  store: TelemetryStore,
  registry: Registry,
  calendar: LocalCalendar,
  ref: ExperimentRef,
  window: AnalysisWindow,
  options: WasteOptions,
): Promise<WasteReplay | null> {
  const { pre, post } = window;
  if (pre.length === 0 || post.length === 0) return null;
  const span = (dates: readonly string[]): [number, number] => [
    calendar.startOf(dates[0] as string),
    calendar.startOf(addDays(dates[dates.length - 1] as string, 1)),
  ];
  const bins = registry.portfolio.devices.filter(
    (d): d is WasteDevice =>
      d.domain === 'waste' && d.pilot === ref.pilot.id && ref.experiment.intervention_sites.includes(d.site),
  );
  const out: WasteReplay = {
    rounds: [],
    regular: bins.length > 0,
    pre: { domain: 'waste', days: [], bins: [] },
    post: { domain: 'waste', days: [], bins: [] },
  };
  const [baselineSpan, reportingSpan] = [span(pre), span(post)];
  const longest = Math.max(baselineSpan[1] - baselineSpan[0], reportingSpan[1] - reportingSpan[0]);
  const shortestInterval = Math.min(...bins.map((b) => b.reporting_interval_s * 1000));
  const perLoad = Math.max(
    1,
    Math.min(
      Math.floor(MAX_POINTS_PER_LOAD / Math.max(1, longest / shortestInterval)),
      store.rollups?.()?.devicesPerLoad ?? Number.POSITIVE_INFINITY,
    ),
  );
  for (let i = 0; i < bins.length; i += perLoad) {
    const group = bins.slice(i, i + perLoad);
    const baselines = await binFills(store, group, baselineSpan);
    const reportings = await binFills(store, group, reportingSpan);
    for (const bin of group) {
      const baseline = baselines.get(bin.id) ?? NO_READINGS;
      const reporting = reportings.get(bin.id) ?? NO_READINGS;
      const round = learnRound(baseline, calendar, options);
      out.rounds.push({ device: bin.id, ...round });
      if (round.slots.length === 0 || round.explained < MIN_EXPLAINED) out.regular = false;
      out.pre.days.push(...binDays(bin, replayRound(baseline, round, calendar, options)));
      out.post.days.push(...binDays(bin, replayRound(reporting, round, calendar, options)));
    }
  }
  return out;
}

interface DayPair {
  aNum: number;
  aDen: number;
  cNum: number;
  cDen: number;
}

/** Measured and replayed KPI parts per date, over the bin-days both have (measured ones past the coverage rule). */
function pairs(
  measured: readonly UnitDay[],
  replayed: readonly UnitDay[],
  dates: readonly string[],
  minCoverage: number,
) {
  // Per device, then per date: a key string per bin-day cost a tenth of a cold analysis (profiled).
  const replayedAt = new Map<string, Map<string, UnitDay>>();
  for (const u of replayed) {
    let days = replayedAt.get(u.device);
    if (!days) replayedAt.set(u.device, (days = new Map<string, UnitDay>()));
    days.set(u.date, u);
  }
  const byDate = new Map(dates.map((d) => [d, { aNum: 0, aDen: 0, cNum: 0, cDen: 0 }]));
  for (const m of measured) {
    const cell = byDate.get(m.date);
    const r = replayedAt.get(m.device)?.get(m.date);
    if (!cell || !r || m.coverage < minCoverage) continue;
    cell.aNum += m.num;
    cell.aDen += m.den;
    cell.cNum += r.num;
    cell.cDen += r.den;
  }
  return [...byDate.values()];
}

function contrast(cells: readonly DayPair[], pick?: readonly number[]): number {
  let [aNum, aDen, cNum, cDen] = [0, 0, 0, 0];
  for (const i of pick ?? cells.keys()) {
    const c = cells[i] as DayPair;
    aNum += c.aNum;
    aDen += c.aDen;
    cNum += c.cNum;
    cDen += c.cDen;
  }
  return aNum / aDen - cNum / cDen;
}

export interface ReplayEstimate extends IntervalEstimate {
  /** The baseline replayed on itself, measured − replayed: near zero when the round is well learned. */
  baseline_check: number;
}

export function replayEffect(
  spec: KpiSpec,
  data: DomainDays,
  replay: WasteReplay,
  window: AnalysisWindow,
  minCoverage: number,
  boot: BootstrapOptions,
): ReplayEstimate | null {
  if (!spec.rows) return null;
  const devices = new Set(replay.rounds.map((r) => r.device));
  const measured = spec.rows(data).filter((u) => devices.has(u.device));
  const post = pairs(measured, spec.rows(replay.post), window.post, minCoverage);
  const pre = pairs(measured, spec.rows(replay.pre), window.pre, minCoverage);
  const estimate = contrast(post);
  if (!Number.isFinite(estimate)) return null;
  const random = seededRandom(boot.seed);
  const replicates: number[] = [];
  for (let b = 0; b < boot.replicates; b++) {
    const value = contrast(post, drawBlocks(post.length, boot.blockDays, random));
    if (Number.isFinite(value)) replicates.push(value);
  }
  const [low, high] = smallSampleInterval(replicates, estimate, post.length, boot.blockDays);
  const check = contrast(pre);
  const allowance = Number.isFinite(check) ? Math.abs(check) : 0;
  const n = post.reduce((s, c) => s + (c.aDen > 0 ? 1 : 0), 0);
  return { estimate, ci_low: low - allowance, ci_high: high + allowance, n, baseline_check: check };
}

/**
 * Waste KPIs: the old round replayed on the intervention bins' own readings (waste-replay.ts). It is
 * the primary estimate when every bin's round was regular enough to learn; the difference-in-
 * differences then stays beside it as a check, with whether the two agree.
 */
export function replayEffects(
  kpi: string,
  spec: KpiSpec,
  data: DomainDays,
  replay: WasteReplay,
  window: AnalysisWindow,
  settings: AnalysisSettings,
  others: Effect[],
): Effect[] {
  const boot = settings.bootstrap;
  const r = replayEffect(spec, data, replay, window, settings.min_coverage, boot);
  if (!r || !Number.isFinite(r.ci_low) || !Number.isFinite(r.ci_high)) return [];
  const did = others.find((o) => o.method === 'difference_in_differences');
  const primary = replay.regular;
  if (did && primary) {
    did.diagnostics.primary = false;
    did.diagnostics.methods_disagree = disagree(did, r);
  }
  return [
    effect(kpi, spec.unit, 'round_replay', r, {
      primary,
      primary_reason: primary ? 'round_replayed' : 'round_irregular',
      estimand: 'realised effect at the intervention bins over the reporting period',
      model:
        "each intervention bin's round before the start (learned from its baseline collections) replayed on its own reporting-period readings",
      rounds: replay.rounds.map((x) => ({
        device: x.device,
        slots: x.slots,
        explained: x.explained,
        baseline_collections: x.collections,
      })),
      baseline_check: r.baseline_check,
      methods_disagree: did ? disagree(did, r) : null,
      block_days: boot.blockDays,
      replicates: boot.replicates,
      seed: boot.seed,
    }),
  ];
}
