/** `GET /api/waste/collection-plan?horizon=24h`: bins to collect, ranked by predicted time to full, by site; JSON or CSV. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collectionPlan, planCsv } from '../domains/waste/collection-plan.js';
import { calendarFor } from '../calendar/city-calendar.js';
import { CollectionPlanQuery, CollectionPlanResponse } from '../contract/api/waste.js';
import type { AppContext } from './context.js';
import { badParameter } from './errors.js';

const MAX_HORIZON_H = 7 * 24;

/** `24h`, `36`, `2d` → hours. */
export function parseHorizon(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(h|d)?$/.exec(text.trim());
  const hours = match ? Number(match[1]) * (match[2] === 'd' ? 24 : 1) : NaN;
  if (!(hours > 0) || hours > MAX_HORIZON_H)
    throw badParameter('horizon', `expected hours such as 24h or days such as 2d, at most 7d; got "${text}"`);
  return hours;
}

export function wasteRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const alerts = ctx.alerts;
    if (!alerts) return;
    app.get(
      '/api/waste/collection-plan',
      {
        schema: {
          tags: ['waste'],
          description:
            'Bins at or above their collection threshold or predicted full within the horizon, grouped by site, ' +
            'soonest first. `format=csv` (or `Accept: text/csv`) downloads the list.',
          querystring: CollectionPlanQuery,
          response: { 200: CollectionPlanResponse },
        },
      },
      async (request, reply) => {
        const hours = parseHorizon(request.query.horizon);
        const plan = collectionPlan(ctx.registry, alerts.engine, Date.now(), hours);
        const csv =
          request.query.format === 'csv' ||
          (!request.query.format && /text\/csv/.test(request.headers.accept ?? ''));
        if (!csv) return plan;
        // The city's date, not UTC's (before 04:00 in Kutaisi UTC is still on yesterday).
        const day = calendarFor(ctx.registry.portfolio.timezone).dateOf(plan.generated_at);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="collection-plan-${day}.csv"`)
          .serializer((payload: unknown) => String(payload))
          .send(planCsv(plan, request.query.lang ?? 'en'));
      },
    );
  };
}
