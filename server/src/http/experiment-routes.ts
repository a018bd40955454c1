/**
 * Experiments and their evidence: the list, the effect estimates per KPI and
 * method, and an export of the daily KPI values behind them.
 * Register with `await app.register(experimentRoutes(ctx))`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  EffectsQuery,
  EffectsResponse,
  ExperimentList,
  ExperimentParams,
  ExportQuery,
  ReportQuery,
  type ArmSeries,
} from '../contract/api/experiments.js';
import { LocalCalendar } from '../calendar/city-calendar.js';
import {
  dailyCsv,
  dailyParquet,
  definitionJson,
  exportZip,
  resultsJson,
  type ExportInput,
} from '../experiments/export.js';
import { experimentEffects, type EffectsReport } from '../experiments/effects.js';
import {
  analysisWindow,
  findExperiment,
  listExperiments,
  type ExperimentRef,
} from '../experiments/experiment-data.js';
import { effectNotes } from '../experiments/notes.js';
import { reportHtml, type ReportExperiment } from '../experiments/report-html.js';
import { withDefaults, type AnalysisSettings } from '../experiments/settings.js';
import type { AppContext } from './context.js';
import { badParameter, notFound } from './errors.js';

export interface ExperimentRouteOptions {
  analysis?: Partial<AnalysisSettings>;
}

const MAX_REPORTING_YEARS = 20;

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export function summary(ref: ExperimentRef) {
  const e = ref.experiment;
  return {
    id: e.id,
    pilot: ref.pilot.id,
    domain: ref.pilot.domain,
    question: e.question,
    intervention: e.intervention,
    intervention_sites: e.intervention_sites,
    control_sites: e.control_sites,
    baseline: e.baseline,
    start: e.start,
    kpis: e.kpis,
  };
}

/** Per KPI, the pooled daily value of each arm, for intervention-vs-control charts. */
export function armSeries(report: EffectsReport) {
  const out: Record<string, ArmSeries> = {};
  for (const { kpi, rows } of report.daily) {
    const dates = [...new Set(rows.map((r) => r.date))].sort();
    const index = new Map(dates.map((d, i) => [d, i]));
    const sums = { intervention: dates.map(() => [0, 0]), control: dates.map(() => [0, 0]) };
    for (const r of rows) {
      const cell = sums[r.arm][index.get(r.date) as number] as number[];
      cell[0] = (cell[0] as number) + r.num;
      cell[1] = (cell[1] as number) + r.den;
    }
    const ratio = (cells: number[][]) =>
      cells.map(([num = 0, den = 0]) => (den > 0 && Number.isFinite(num / den) ? num / den : null));
    out[kpi] = { dates, intervention: ratio(sums.intervention), control: ratio(sums.control) };
  }
  return out;
}

export function experimentRoutes(
  ctx: AppContext,
  options: ExperimentRouteOptions = {},
): FastifyPluginAsyncTypebox {
  const calendar = new LocalCalendar(ctx.registry.portfolio.timezone);
  const settings = withDefaults(options.analysis);
  // The rollups' records hold rows computed with their own settings: only the same settings may read them.
  const rollup =
    ctx.rollup && JSON.stringify(ctx.rollup.settings) === JSON.stringify(settings) ? ctx.rollup : undefined;

  const analyse = async (id: string, from?: number, to?: number) => {
    const ref = findExperiment(ctx.registry, id);
    if (!ref) throw notFound(`unknown experiment ${id}`);
    if (from !== undefined && to !== undefined && from >= to) throw badParameter('from', 'must be before to');
    // One row per device-day is read and kept: a `to` centuries ahead ran for minutes, then ran out of memory.
    if (to !== undefined && to - Date.parse(ref.experiment.start) > MAX_REPORTING_YEARS * 366 * 86_400_000)
      throw badParameter(
        'to',
        `the reporting period may span at most ${MAX_REPORTING_YEARS} years from the experiment start (${ref.experiment.start})`,
      );
    const window = analysisWindow(ref, calendar, from, to);
    const compute = () =>
      experimentEffects(
        { store: ctx.store, registry: ctx.registry, calendar, settings, ...(rollup ? { rollup } : {}) },
        ref,
        window,
      );
    // Cached until a stored reading changes the window's data (effects-cache.ts); export and report share it.
    const report = await (ctx.effectsCache ? ctx.effectsCache.get(ref, window, compute) : compute());
    return { ref, window, report };
  };

  return async (app) => {
    app.get(
      '/api/experiments/cache',
      {
        config: { access: 'read' },
        schema: {
          tags: ['experiments'],
          description:
            'How the evidence is served: the effects cache (hits, misses, invalidations) and the daily rollups (the mark they are complete up to, the last refresh, device-windows served from records and from raw readings)',
        },
      },
      async () => ({
        effects_cache: ctx.effectsCache?.stats() ?? null,
        rollups: rollup?.status() ?? null,
      }),
    );

    app.get(
      '/api/experiments/report',
      {
        schema: {
          tags: ['experiments'],
          description:
            'Printable monitoring report, one page per experiment (HTML with print CSS); reporting period up to `to`',
          querystring: ReportQuery,
        },
      },
      async (request, reply) => {
        const { lang, to } = request.query;
        const sites = new Map(ctx.registry.portfolio.sites.map((s) => [s.id, s.name]));
        const pages: ReportExperiment[] = [];
        for (const ref of listExperiments(ctx.registry)) {
          const { window, report } = await analyse(ref.experiment.id, undefined, to);
          pages.push({
            ...summary(ref),
            siteName: (id) => sites.get(id)?.[lang] ?? id,
            pre: window.pre,
            post: window.post,
            report,
          });
        }
        return reply.type('text/html; charset=utf-8').send(reportHtml(pages, lang, new Date()));
      },
    );

    app.get(
      '/api/experiments',
      { schema: { tags: ['experiments'], response: { 200: ExperimentList } } },
      async () => listExperiments(ctx.registry).map(summary),
    );

    app.get(
      '/api/experiments/:id/effects',
      {
        schema: {
          tags: ['experiments'],
          params: ExperimentParams,
          querystring: EffectsQuery,
          response: { 200: EffectsResponse },
        },
      },
      async (request) => {
        const { ref, window, report } = await analyse(
          request.params.id,
          request.query.from,
          request.query.to,
        );
        return {
          experiment: ref.experiment.id,
          baseline_dates: { from: window.pre[0] ?? '', to: window.pre[window.pre.length - 1] ?? '' },
          reporting_dates:
            window.post.length > 0
              ? { from: window.post[0] as string, to: window.post[window.post.length - 1] as string }
              : null,
          effects: report.effects.map((e) => ({
            ...e,
            notes: effectNotes(e),
            estimate: finite(e.estimate),
            ci_low: finite(e.ci_low),
            ci_high: finite(e.ci_high),
          })),
          data_quality: report.data_quality,
          not_estimated: report.not_estimated,
          ...(report.temperature ? { temperature: report.temperature } : {}),
          series: armSeries(report),
        };
      },
    );

    app.get(
      '/api/experiments/:id/export',
      {
        schema: {
          tags: ['experiments'],
          params: ExperimentParams,
          querystring: ExportQuery,
        },
      },
      async (request, reply) => {
        const { format, from, to } = request.query;
        const { ref, window, report } = await analyse(request.params.id, from, to);
        const id = ref.experiment.id;
        const input: ExportInput = {
          experiment: summary(ref),
          settings,
          temperature_source: report.temperature
            ? `${report.temperature.kind === 'station' ? 'station: ' : ''}${report.temperature.name}`
            : 'not used',
          window,
          report,
        };
        const attachment = (name: string) => `attachment; filename="${name}"`;
        if (format === 'json') {
          return reply
            .header('content-disposition', attachment(`${id}.json`))
            .send({ definition: definitionJson(input), results: resultsJson(input) });
        }
        if (format === 'zip') {
          return reply
            .header('content-type', 'application/zip')
            .header('content-disposition', attachment(`${id}.zip`))
            .send(Buffer.from(exportZip(input)));
        }
        if (format === 'parquet') {
          return reply
            .header('content-type', 'application/vnd.apache.parquet')
            .header('content-disposition', attachment(`${id}-daily.parquet`))
            .send(await dailyParquet(report));
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(`${id}-daily.csv`))
          .send(dailyCsv(report));
      },
    );
  };
}
