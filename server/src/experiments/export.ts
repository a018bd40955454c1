/**
 * Exports of one experiment's evidence for re-analysis: the definition (the
 * experiment, the KPI definitions, the analysis settings) and the results
 * (effects with diagnostics, data quality) as JSON, the effects and the daily
 * KPI values as CSV, all of it in one zip (fflate), and the daily values as
 * Parquet (written by an in-memory DuckDB, whichever store is configured).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { strToU8, zipSync } from 'fflate';
import { toCsv } from './csv.js';
import type { EffectsReport } from './effects.js';
import { KPIS } from './kpi-catalog.js';

export interface ExportInput {
  experiment: { id: string; kpis: readonly string[] } & Record<string, unknown>;
  settings: unknown;
  temperature_source: string;
  window: { pre: readonly string[]; post: readonly string[] };
  report: EffectsReport;
}

export function definitionJson(input: ExportInput) {
  return {
    experiment: input.experiment,
    kpis: Object.fromEntries(
      input.experiment.kpis.map((k) => {
        const spec = KPIS[k];
        return [
          k,
          spec ? { unit: spec.unit, definition: spec.definition, primary_method: spec.primary } : null,
        ];
      }),
    ),
    baseline_dates: { from: input.window.pre[0] ?? null, to: input.window.pre.at(-1) ?? null },
    reporting_dates: { from: input.window.post[0] ?? null, to: input.window.post.at(-1) ?? null },
    settings: input.settings,
    temperature_source: input.temperature_source,
  };
}

export function resultsJson(input: ExportInput) {
  const { effects, data_quality, not_estimated } = input.report;
  return { experiment: input.experiment.id, effects, data_quality, not_estimated };
}

export const DAILY_HEADER = ['date', 'site', 'arm', 'period', 'kpi', 'value', 'numerator', 'denominator'];

export function dailyRows(report: EffectsReport) {
  const rows = report.daily.flatMap(({ kpi, rows: days }) =>
    days.map((r) => [r.date, r.site, r.arm, r.period, kpi, r.num / r.den, r.num, r.den] as const),
  );
  return rows.sort(
    (a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[4].localeCompare(b[4]),
  );
}

export function dailyCsv(report: EffectsReport): string {
  return toCsv(DAILY_HEADER, dailyRows(report));
}

export function effectsCsv(report: EffectsReport): string {
  return toCsv(
    ['kpi', 'method', 'primary', 'estimate', 'ci_low', 'ci_high', 'unit', 'n'],
    report.effects.map((e) => [
      e.kpi,
      e.method,
      e.diagnostics.primary === true,
      e.estimate,
      e.ci_low,
      e.ci_high,
      e.unit,
      e.n,
    ]),
  );
}

export function exportZip(input: ExportInput): Uint8Array {
  const id = input.experiment.id;
  const json = (v: unknown) => strToU8(`${JSON.stringify(v, null, 2)}\n`);
  return zipSync({
    [`${id}/definition.json`]: json(definitionJson(input)),
    [`${id}/results.json`]: json(resultsJson(input)),
    [`${id}/effects.csv`]: strToU8(effectsCsv(input.report)),
    [`${id}/daily.csv`]: strToU8(dailyCsv(input.report)),
  });
}

/** The daily KPI values as a Parquet file (a temporary file, read back and removed). */
export async function dailyParquet(report: EffectsReport): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kutaisi-export-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      'CREATE TABLE daily (date VARCHAR, site VARCHAR, arm VARCHAR, period VARCHAR, kpi VARCHAR, value DOUBLE, numerator DOUBLE, denominator DOUBLE)',
    );
    const appender = await connection.createAppender('daily');
    for (const [date, site, arm, period, kpi, value, num, den] of dailyRows(report)) {
      appender.appendVarchar(date);
      appender.appendVarchar(site);
      appender.appendVarchar(arm);
      appender.appendVarchar(period);
      appender.appendVarchar(kpi);
      appender.appendDouble(value);
      appender.appendDouble(num);
      appender.appendDouble(den);
      appender.endRow();
    }
    appender.closeSync();
    const file = join(dir, 'daily.parquet');
    await connection.run(
      `COPY (SELECT CAST(date AS DATE) AS date, * EXCLUDE (date) FROM daily ORDER BY date, site, kpi) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`,
    );
    return await readFile(file);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
