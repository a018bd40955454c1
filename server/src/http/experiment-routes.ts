/**
 * Experiments and their evidence: the list, the effect estimates per KPI and
 * method, and an export of the daily KPI values behind them.
 * Register with `await app.register(experimentRoutes(ctx))`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NormalsTemperatureSource, type TemperatureSource } from '../domains/energy/temperature-source.js';
import { LocalCalendar } from '../domains/local-calendar.js';
import { toCsv } from '../experiments/csv.js';
import { experimentEffects } from '../experiments/effects.js';
import {
  analysisWindow,
  findExperiment,
  listExperiments,
  type ExperimentRef,
} from '../experiments/experiment-data.js';
import { withDefaults, type AnalysisSettings } from '../experiments/settings.js';
import type { AppContext } from './context.js';
import { HttpError, badParameter, notFound } from './errors.js';

export interface ExperimentRouteOptions {
  /** Daily temperatures for HDD; the bundled Kutaisi normals until a measured series is configured. */
  temperature?: TemperatureSource;
  analysis?: Partial<AnalysisSettings>;
}

const Text = Type.Object({ en: Type.String(), ka: Type.String() });
const Period = Type.Object({ from: Type.String(), to: Type.String() });
const ExperimentSummary = Type.Object({
  id: Type.String(),
  pilot: Type.String(),
  domain: Type.String(),
  question: Text,
  intervention: Text,
  intervention_sites: Type.Array(Type.String()),
  control_sites: Type.Array(Type.String()),
  baseline: Period,
  start: Type.String(),
  kpis: Type.Array(Type.String()),
});
const Num = Type.Union([Type.Number(), Type.Null()]);
const EffectSchema = Type.Object({
  kpi: Type.String(),
  estimate: Num,
  ci_low: Num,
  ci_high: Num,
  unit: Type.String(),
  method: Type.String({ description: 'before_after, difference_in_differences or ipmvp_option_c' }),
  n: Type.Integer({ description: 'site-days (or building-days) used' }),
  diagnostics: Type.Record(Type.String(), Type.Unknown()),
});
const EffectsResponse = Type.Object({
  experiment: Type.String(),
  baseline_dates: Period,
  reporting_dates: Type.Union([Period, Type.Null()]),
  effects: Type.Array(EffectSchema),
  data_quality: Type.Record(Type.String(), Type.Unknown()),
  not_estimated: Type.Array(Type.Object({ kpi: Type.String(), reason: Type.String() })),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Range = {
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms; default the baseline start' })),
  to: Type.Optional(
    Type.Integer({ minimum: 1, description: 'epoch ms, exclusive; default the start of today' }),
  ),
};

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

export function experimentRoutes(
  ctx: AppContext,
  options: ExperimentRouteOptions = {},
): FastifyPluginAsyncTypebox {
  const calendar = new LocalCalendar(ctx.registry.portfolio.timezone);
  const settings = withDefaults(options.analysis);
  const temperature = options.temperature ?? new NormalsTemperatureSource();

  const analyse = async (id: string, from?: number, to?: number) => {
    const ref = findExperiment(ctx.registry, id);
    if (!ref) throw notFound(`unknown experiment ${id}`);
    if (from !== undefined && to !== undefined && from >= to) throw badParameter('from', 'must be before to');
    const window = analysisWindow(ref, calendar, from, to);
    const report = await experimentEffects(
      { store: ctx.store, registry: ctx.registry, calendar, temperature, settings },
      ref,
      window,
    );
    return { ref, window, report };
  };

  return async (app) => {
    app.get(
      '/api/experiments',
      { schema: { tags: ['experiments'], response: { 200: Type.Array(ExperimentSummary) } } },
      async () => listExperiments(ctx.registry).map(summary),
    );

    app.get(
      '/api/experiments/:id/effects',
      {
        schema: {
          tags: ['experiments'],
          params: Params,
          querystring: Type.Object(Range),
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
            estimate: finite(e.estimate),
            ci_low: finite(e.ci_low),
            ci_high: finite(e.ci_high),
          })),
          data_quality: report.data_quality,
          not_estimated: report.not_estimated,
        };
      },
    );

    app.get(
      '/api/experiments/:id/export',
      {
        schema: {
          tags: ['experiments'],
          params: Params,
          querystring: Type.Object({
            ...Range,
            format: Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('zip')], {
              default: 'csv',
            }),
          }),
        },
      },
      async (request, reply) => {
        const { format, from, to } = request.query;
        if (format === 'zip')
          throw new HttpError(501, 'not_implemented', 'format=zip is not available yet; use csv and json');
        const { ref, report } = await analyse(request.params.id, from, to);
        const name = `${ref.experiment.id}-daily`;
        if (format === 'json') {
          return reply
            .header('content-disposition', `attachment; filename="${ref.experiment.id}.json"`)
            .send({
              experiment: summary(ref),
              settings,
              temperature_source: temperature.name,
              ...report,
              daily: undefined,
            });
        }
        const rows = report.daily.flatMap(({ kpi, rows: days }) =>
          days.map((r) => [r.date, r.site, r.arm, r.period, kpi, r.num / r.den, r.num, r.den]),
        );
        rows.sort(
          (a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])),
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(toCsv(['date', 'site', 'arm', 'period', 'kpi', 'value', 'numerator', 'denominator'], rows));
      },
    );
  };
}
