/**
 * Calibration of the evidence, as deployed: a grid of planted effects (savings 0–0.4, bicycle
 * uplift 0–0.5, e-scooter uplift 0–0.3, smart collection on and off) over many seeds, each run a
 * started server fed through its ingest, its effects read from the HTTP API and scored against the
 * simulators' truth (test/experiments/evidence-run.ts). Prints, per primary KPI and cell: mean bias,
 * RMSE, coverage of the 95 % interval, median interval width; and the slope of the savings
 * estimate on the planted savings. Exit code 1 when a target is missed.
 *
 *   npx tsx scripts/coverage-check.ts [--runs 50] [--first-seed 1000] [--jobs 1] [--json out.json]
 *                                     [--periods portfolio|acceptance] [--planted savings=0.4,bicycle=0.5,…]
 *   npx tsx scripts/coverage-check.ts --from-json out.json    (scores the runs an earlier check saved)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parsePlanted, plantedFor, savingsSlope, scoreCells } from '../test/experiments/calibration.js';
import {
  ACCEPTANCE_PERIODS,
  PORTFOLIO_PERIODS,
  evidenceRun,
  type Check,
  type Planted,
} from '../test/experiments/evidence-run.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    'first-seed': { type: 'string', default: '1000' },
    jobs: { type: 'string', default: '1' },
    json: { type: 'string' },
    'from-json': { type: 'string' },
    // portfolio: the portfolio's own periods; acceptance: thirteen months of every device (#15's runs).
    periods: { type: 'string', default: 'portfolio' },
    // One planted point for every run instead of the grid (see parsePlanted).
    planted: { type: 'string' },
  },
});
const fixed = values.planted === undefined ? undefined : parsePlanted(values.planted);
const PERIODS = { portfolio: PORTFOLIO_PERIODS, acceptance: ACCEPTANCE_PERIODS };
const periods = PERIODS[values.periods as keyof typeof PERIODS];
if (!periods) {
  console.error(`--periods must be one of ${Object.keys(PERIODS).join(', ')}`);
  process.exit(2);
}
const runs = Number(values.runs);
const firstSeed = Number(values['first-seed']);
const results: { seed: number; planted: Planted; checks: Check[] }[] = [];
let next = 0;
const started = Date.now();
async function worker(): Promise<void> {
  while (next < runs) {
    const r = next++;
    const planted = fixed ?? plantedFor(r);
    const t0 = Date.now();
    const checks = await evidenceRun(firstSeed + r, planted, periods);
    results.push({ seed: firstSeed + r, planted, checks });
    process.stderr.write(
      `run ${r + 1}/${runs} seed ${firstSeed + r} ${JSON.stringify(planted)}: ${Math.round((Date.now() - t0) / 1000)} s\n`,
    );
  }
}
if (values['from-json'])
  results.push(...(JSON.parse(readFileSync(values['from-json'], 'utf8')) as typeof results));
else await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));
if (values.json) writeFileSync(values.json, JSON.stringify(results));

const FRACTION_UNITS = new Set(['fraction', 'relative change', 'fraction of bin-days']);
const cells = scoreCells(results).sort((a, b) =>
  `${a.experiment}${a.kpi}${a.cell}`.localeCompare(`${b.experiment}${b.kpi}${b.cell}`),
);
const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
console.log(
  '| experiment | KPI (primary method) | cell | runs | coverage | mean bias | RMSE | median width |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const c of cells) {
  console.log(
    `| ${c.experiment} | ${c.kpi} (${c.method}) | ${c.cell} | ${c.runs} | ${c.covered}/${c.runs} | ${f(c.bias)} | ${f(c.rmse)} | ${f(c.medianWidth)} |`,
  );
}
const slope = savingsSlope(results);
const savings = cells.filter((c) => c.kpi === 'savings_fraction');
const halfWidth = Math.max(...savings.map((c) => c.medianWidth / 2));
console.log(
  `\nsavings: slope of estimate on planted ${Number.isFinite(slope) ? slope.toFixed(3) : 'n/a (one planted value)'}; largest median half-width ${halfWidth.toFixed(3)}`,
);
const misses: string[] = [];
for (const c of cells) {
  if (c.covered < Math.ceil(0.9 * c.runs)) misses.push(`${c.kpi} ${c.cell}: coverage ${c.covered}/${c.runs}`);
  const fractional = FRACTION_UNITS.has(c.unit);
  if (fractional && Math.abs(c.bias) > 0.02) misses.push(`${c.kpi} ${c.cell}: bias ${c.bias.toFixed(3)}`);
}
if (Number.isFinite(slope) && (slope < 0.9 || slope > 1.1)) misses.push(`savings slope ${slope.toFixed(3)}`);
if (halfWidth > 0.1) misses.push(`savings median half-width ${halfWidth.toFixed(3)}`);
console.log(
  misses.length === 0
    ? `every target met (${results.length} runs, ${Math.round((Date.now() - started) / 60_000)} min)`
    : `missed: ${misses.join('; ')}`,
);
process.exitCode = misses.length === 0 ? 0 : 1;
