/** GET /api/series: bucketed history of one metric for a device, a site or a pilot. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { METRICS, METRIC_NAME_PATTERN } from '../contract/index.js';
import { AGGREGATES, type SeriesSelector } from '../store/port.js';
import type { AppContext } from './context.js';
import { badParameter, notFound } from './errors.js';

export const MAX_BUCKETS = 10_000;
/**
 * Latest time a query may name (the end of year 9999). Without a bound a `to` such as 1e23 passed the
 * integer check, and at that magnitude `t += step` stops advancing: the bucket loop never ended.
 */
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const DAY = 86_400_000;
const NICE_STEPS = [60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, DAY];

/** The smallest "nice" step that keeps a range within about 300 buckets. */
export function defaultStep(from: number, to: number): number {
  return NICE_STEPS.find((step) => (to - from) / step <= 300) ?? Math.ceil((to - from) / 300 / DAY) * DAY;
}

const SeriesQuerystring = Type.Object({
  device: Type.Optional(Type.String({ maxLength: 64 })),
  site: Type.Optional(Type.String({ maxLength: 64 })),
  pilot: Type.Optional(Type.String({ maxLength: 64 })),
  metric: Type.String({ pattern: METRIC_NAME_PATTERN.source }),
  from: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_EPOCH_MS,
      description: 'epoch ms, inclusive; default to − 24 h',
    }),
  ),
  to: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_EPOCH_MS, description: 'epoch ms, exclusive; default now' }),
  ),
  step: Type.Optional(Type.Integer({ minimum: 1000, maximum: 366 * DAY, description: 'bucket width in ms' })),
  agg: Type.Union(
    AGGREGATES.map((a) => Type.Literal(a)),
    { default: 'mean' },
  ),
  by: Type.Optional(
    Type.Literal('device', { description: 'split a site or pilot into one series per device' }),
  ),
});

const SeriesResponse = Type.Object({
  t: Type.Array(Type.Integer(), { description: 'bucket starts, epoch ms' }),
  step: Type.Integer(),
  agg: Type.String(),
  series: Type.Array(
    Type.Object({
      key: Type.String(),
      metric: Type.String(),
      values: Type.Array(Type.Union([Type.Number(), Type.Null()])),
    }),
  ),
});

export function seriesRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/series',
      { schema: { tags: ['series'], querystring: SeriesQuerystring, response: { 200: SeriesResponse } } },
      async (request) => {
        const q = request.query;
        const scopes = (['device', 'site', 'pilot'] as const).filter((name) => q[name] !== undefined);
        if (scopes.length !== 1) throw badParameter('device', 'give exactly one of device, site or pilot');
        const scope = scopes[0] as 'device' | 'site' | 'pilot';
        const id = q[scope] as string;

        const devices = selectDevices(ctx, scope, id);
        const domains = new Set(devices.map((d) => d.domain));
        if (!devices.length && scope !== 'site') throw notFound(`unknown ${scope} ${id}`);
        if (![...domains].some((domain) => METRICS[domain].some((m) => m.name === q.metric))) {
          const known = [...domains].flatMap((domain) => METRICS[domain].map((m) => m.name));
          throw badParameter(
            'metric',
            `unknown metric "${q.metric}" here; expected one of ${known.join(', ') || '(no devices)'}`,
          );
        }

        const to = q.to ?? Date.now();
        const from = q.from ?? to - DAY;
        if (from >= to) throw badParameter('from', 'must be before to');
        const step = q.step ?? defaultStep(from, to);
        if ((to - from) / step > MAX_BUCKETS) {
          throw badParameter('step', `too small for this range: at most ${MAX_BUCKETS} buckets`);
        }

        const selectors: SeriesSelector[] =
          scope === 'device' || q.by === 'device'
            ? devices.map((d) => ({ key: d.id, devices: [d.id] }))
            : [{ key: id, devices: devices.map((d) => d.id) }];
        const result = await ctx.store.series({ selectors, metric: q.metric, from, to, step, agg: q.agg });
        return { t: result.t, step, agg: q.agg, series: result.series };
      },
    );
  };
}

function selectDevices(ctx: AppContext, scope: 'device' | 'site' | 'pilot', id: string) {
  if (scope === 'device') {
    const device = ctx.registry.device(id);
    return device ? [device] : [];
  }
  if (scope === 'site') {
    if (!ctx.registry.sites.has(id)) throw notFound(`unknown site ${id}`);
    return ctx.registry.devicesWhere({ site: id });
  }
  return ctx.registry.devicesWhere({ pilot: id });
}
