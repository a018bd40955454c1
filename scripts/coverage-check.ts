/**
 * Interval coverage over many seeds: for every experiment and KPI, how often
 * the 95 % interval contains the simulators' planted (realised) effect, with
 * the portfolio's planted effects and with the no-effect scenario.
 *
 *   npx tsx scripts/coverage-check.ts [--seeds 20] [--replicates 499] [--short]
 */
import { parseArgs } from 'node:util';
import { FULL_WINDOWS, SHORT_WINDOWS, coverageRun, type Check } from '../test/experiments/coverage-run.js';
import { NO_EFFECT } from '../test/experiments/sim-backfill.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    replicates: { type: 'string', default: '499' },
    short: { type: 'boolean', default: false },
  },
});
const seeds = Number(values.seeds);
const windows = values.short ? SHORT_WINDOWS : FULL_WINDOWS;

const scenarios: [string, string | undefined][] = [
  ['planted', undefined],
  ['no-effect', NO_EFFECT],
];
const table = new Map<string, { covered: number; runs: number; truths: number[]; estimates: number[] }>();
for (const [name, scenario] of scenarios) {
  for (let seed = 1; seed <= seeds; seed++) {
    const started = Date.now();
    const checks: Check[] = await coverageRun(seed, scenario, windows, Number(values.replicates));
    for (const c of checks) {
      if (c.covered === null) continue;
      const key = `${name}\t${c.experiment}\t${c.kpi}\t${c.method}${c.primary ? ' *' : ''}`;
      const row = table.get(key) ?? { covered: 0, runs: 0, truths: [], estimates: [] };
      row.runs += 1;
      row.covered += c.covered ? 1 : 0;
      row.truths.push(c.truth ?? 0);
      row.estimates.push(c.estimate);
      table.set(key, row);
    }
    process.stderr.write(`${name} seed ${seed}: ${Date.now() - started} ms\n`);
  }
}
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
console.log('scenario\texperiment\tkpi\tmethod (* = primary)\tcovered/runs\tmean truth\tmean estimate');
for (const [key, row] of table) {
  console.log(
    `${key}\t${row.covered}/${row.runs}\t${mean(row.truths).toFixed(4)}\t${mean(row.estimates).toFixed(4)}`,
  );
}
const failing = [...table].filter(
  ([key, row]) => key.endsWith(' *') && row.covered < Math.ceil(0.85 * row.runs),
);
console.log(
  failing.length === 0
    ? 'every primary estimate: coverage ≥ 85 %'
    : `below 85 %: ${failing.map(([k]) => k.replace(/\t/g, ' ')).join('; ')}`,
);
process.exitCode = failing.length === 0 ? 0 : 1;
