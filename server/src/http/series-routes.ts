/** GET /api/series: bucketed history of one metric for a device, a site or a pilot. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { METRICS } from '../contract/index.js';
import { SeriesQuery, SeriesResponse } from '../contract/api/series.js';
import type { SeriesSelector } from '../store/port.js';
import type { AppContext } from './context.js';
import { badParameter, notFound } from './errors.js';

export const MAX_BUCKETS = 10_000;
const DAY = 86_400_000;
const NICE_STEPS = [60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, DAY];

/** The smallest "nice" step that keeps a range within about 300 buckets. */
export function defaultStep(from: number, to: number): number {
  return NICE_STEPS.find((step) => (to - from) / step <= 300) ?? Math.ceil((to - from) / 300 / DAY) * DAY;
}

export function seriesRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/series',
      { schema: { tags: ['series'], querystring: SeriesQuery, response: { 200: SeriesResponse } } },
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
