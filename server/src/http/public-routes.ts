/**
 * Public read-only mode: `GET /api/public/indicators`, the live pilot-level indicators of the
 * pilots listed under `public:` in the portfolio, for anyone. 404 while public mode is off.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pilotKey } from '../contract/index.js';
import { PublicIndicators } from '../contract/api/public.js';
import type { PublicView } from '../auth/public-view.js';
import type { AppContext } from './context.js';
import { HttpError } from './errors.js';

export function publicRoutes(ctx: AppContext, view: PublicView): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/public/indicators',
      {
        schema: {
          tags: ['public'],
          description:
            'Public mode only: each public pilot with its live indicators (the `pilot:<id>` entity of the live stream).',
          response: { 200: PublicIndicators },
        },
      },
      async () => {
        if (!view.enabled) throw new HttpError(404, 'not_found', 'public mode is off');
        const pilots = [...view.pilots].flatMap((id) => {
          const pilot = ctx.registry.pilots.get(id);
          if (!pilot) return [];
          const intervals = ctx.registry.devicesWhere({ pilot: id }).map((d) => d.reporting_interval_s);
          const entity = ctx.live?.engine.get(pilotKey(id));
          return [
            {
              id,
              domain: pilot.domain,
              name: pilot.name,
              reporting_interval_s: intervals.length > 0 ? Math.min(...intervals) : 900,
              entity: entity ? { ...entity } : null,
            },
          ];
        });
        return { pilots };
      },
    );
  };
}
