/**
 * The evidence API of a started server fed through its own ingest (simulated history, the weather
 * station included): every KPI estimated, the energy methods side by side with the choice between
 * them explained, and the exports (CSV, zip, Parquet, the printable report). Whether the intervals
 * cover the truth is the calibration's question (evidence.int.test.ts, scripts/coverage-check.ts).
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { PORTFOLIO, publishHistory, type Periods } from './evidence-run.js';

const registry = loadRegistry(PORTFOLIO);
const calendar = new LocalCalendar(registry.portfolio.timezone);

/** Shorter than the portfolio's periods: a few weeks either side of each start keep the test quick. */
const SHORT: Periods = {
  end: '2026-10-12',
  ranges: [
    { from: '2026-01-15', to: '2026-04-01', domains: ['energy', 'weather'] },
    { from: '2026-07-20', to: '2026-10-12', domains: ['waste', 'mobility', 'energy', 'weather'] },
  ],
};
const range = `from=${calendar.startOf('2026-01-15')}&to=${calendar.startOf(SHORT.end)}`;

interface EffectBody {
  kpi: string;
  estimate: number;
  ci_low: number;
  ci_high: number;
  unit: string;
  method: string;
  diagnostics: Record<string, unknown>;
  notes: { code: string }[];
}

describe('experiment effects and exports from a started server', () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServerUnderTest(undefined);
    await publishHistory(
      server,
      42,
      { savings: 0.25, bicycle: 0.35, escooter: 0.2, smartCollection: true },
      SHORT,
    );
  }, 300_000);

  afterAll(async () => server?.runtime.stop());

  it('school-retrofit: Option C and the comparison group side by side, one primary, with the reason', async () => {
    const body = await server.get<{ effects: EffectBody[]; temperature: { kind: string; name: string } }>(
      `/api/experiments/school-retrofit/effects?${range}`,
    );
    expect(body.temperature).toMatchObject({ kind: 'station', name: 'wx-kutaisi-centre' });
    const savings = body.effects.filter((e) => e.kpi === 'savings_fraction');
    expect(savings.map((e) => e.method).sort()).toEqual(['comparison_group', 'ipmvp_option_c']);
    expect(savings.filter((e) => e.diagnostics.primary === true)).toHaveLength(1);
    for (const e of savings) {
      expect(e.diagnostics.primary_reason).toBeTypeOf('string');
      expect(e.diagnostics.temperature_source).toBe('station: wx-kutaisi-centre');
      expect(e.diagnostics.extrapolated_share).toBeTypeOf('number');
      expect(e.diagnostics.methods_disagree).toBeTypeOf('boolean');
    }
    const optionC = savings.find((e) => e.method === 'ipmvp_option_c');
    const buildings = optionC?.diagnostics.buildings as { passes: boolean }[];
    expect(buildings).toHaveLength(3);
    expect(optionC?.diagnostics.fractional_savings_uncertainty).toBeTypeOf('number');
    const comparison = savings.find((e) => e.method === 'comparison_group');
    const check = comparison?.diagnostics.control_apparent_savings as { estimate: number } | undefined;
    expect(check?.estimate).toBeTypeOf('number');
  });

  it('smart-collection: estimates every KPI and exports the daily values as CSV', async () => {
    const body = await server.get<{ effects: EffectBody[] }>(
      `/api/experiments/smart-collection/effects?${range}`,
    );
    const did = body.effects.filter((e) => e.method === 'difference_in_differences');
    expect(did.map((e) => e.kpi).sort()).toEqual([
      'collections_per_bin_week',
      'fill_at_collection',
      'overflow_bin_days',
      'wasted_trip_share',
    ]);
    // Smart collection cuts overflowing bin-days: the estimate points the planted way.
    expect(did.find((e) => e.kpi === 'overflow_bin_days')?.estimate).toBeLessThan(0);
    const csv = await (
      await server.fetch(`/api/experiments/smart-collection/export?format=csv&${range}`)
    ).text();
    const lines = csv.trim().split('\r\n');
    expect(lines.length).toBeGreaterThan(6 * 80);
    expect(lines[1]).toMatch(
      /^2026-07-20,(avtokarkhana|bagrati|central-square|green-bazaar|nikea|white-bridge),(control|intervention),pre,/,
    );
  });

  it('exports definition and results as a zip, the daily values as Parquet, and a printable report', async () => {
    const zip = await server.fetch(`/api/experiments/rustaveli-bike-lane/export?format=zip&${range}`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'rustaveli-bike-lane/daily.csv',
      'rustaveli-bike-lane/definition.json',
      'rustaveli-bike-lane/effects.csv',
      'rustaveli-bike-lane/results.json',
    ]);
    const definition = JSON.parse(strFromU8(files['rustaveli-bike-lane/definition.json'] as Uint8Array)) as {
      experiment: { control_sites: string[] };
      kpis: Record<string, { unit: string }>;
    };
    expect(definition.experiment.control_sites).toEqual(['nikea', 'avtokarkhana']);
    expect(definition.kpis.modal_split_active?.unit).toBe('fraction');
    const results = JSON.parse(strFromU8(files['rustaveli-bike-lane/results.json'] as Uint8Array)) as {
      effects: EffectBody[];
    };
    const api = await server.get<{ effects: EffectBody[] }>(
      `/api/experiments/rustaveli-bike-lane/effects?${range}`,
    );
    expect(results.effects.map((e) => e.estimate)).toEqual(api.effects.map((e) => e.estimate));
    expect(strFromU8(files['rustaveli-bike-lane/effects.csv'] as Uint8Array)).toMatch(
      /^kpi,method,primary,estimate,ci_low,ci_high,unit,n\r\n/,
    );

    const parquet = await server.fetch(`/api/experiments/rustaveli-bike-lane/export?format=parquet&${range}`);
    expect(parquet.status).toBe(200);
    expect(
      Buffer.from(await parquet.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');

    const report = await server.fetch(`/api/experiments/report?lang=ka&to=${calendar.startOf(SHORT.end)}`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    const html = await report.text();
    expect(html).toContain('<html lang="ka">');
    expect(html).toContain('@media print');
    expect(html.match(/<section class="page"/g)).toHaveLength(3);
    expect(html).toContain(registry.portfolio.pilots[1]?.experiments[0]?.question.ka);
  }, 120_000);
});
