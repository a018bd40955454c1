/**
 * The live stream (`GET /ws`, a snapshot then deltas) and what the dashboard needs to draw it:
 * `GET /api/portfolio` (sites with coordinates, pilots, devices) and `GET /api/live/stats`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LIVE_CLOSE, LIVE_PATH } from '../contract/index.js';
import { LiveStats } from '../contract/api/live.js';
import { PortfolioResponse } from '../contract/api/portfolio.js';
import { PublicView } from '../auth/public-view.js';
import { filterFromQuery } from '../live/live-hub.js';
import { stationFor } from '../domains/weather/site-temperatures.js';
import type { AppContext } from './context.js';
import { requestToken } from './credentials.js';

export function liveRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/portfolio',
      { schema: { tags: ['live'], response: { 200: PortfolioResponse } } },
      async () => {
        const p = ctx.registry.portfolio;
        return {
          city: p.city,
          timezone: p.timezone,
          sites: p.sites.map(({ id, name, lat, lon }) => ({ id, name, lat, lon })),
          pilots: p.pilots.map(({ id, domain, name, experiments }) => ({
            id,
            domain,
            name,
            experiments: experiments.map(({ id, question, intervention_sites, control_sites }) => ({
              id,
              question,
              intervention_sites,
              control_sites,
            })),
          })),
          weather_station: stationFor(ctx.registry, '') ?? null,
          devices: p.devices.map((d) => ({ ...d })),
        };
      },
    );

    const live = ctx.live;
    if (!live) return;
    const publicView = PublicView.of(ctx.registry.portfolio.public);

    app.get('/api/live/stats', { schema: { tags: ['live'], response: { 200: LiveStats } } }, async () => {
      const cpu = process.cpuUsage();
      return {
        ...live.hub.stats(),
        cpu_user_us: cpu.user,
        cpu_system_us: cpu.system,
        rss_bytes: process.memoryUsage.rss(),
      };
    });

    app.get(
      LIVE_PATH,
      {
        websocket: true,
        schema: {
          tags: ['live'],
          description:
            'WebSocket: a snapshot, then coalesced deltas. Optional filter: ?domain=waste,energy&pilot=…&site=…. ' +
            'Needs a session (cookie or Bearer); in public mode an anonymous socket gets only the public pilots.',
        },
      },
      (socket, request) => {
        const filter = filterFromQuery(request.query as Record<string, string | undefined>);
        if (typeof filter === 'string') {
          socket.send(JSON.stringify({ type: 'error', message: filter }));
          socket.close(LIVE_CLOSE.badRequest, 'bad filter');
          return;
        }
        const principal = request.principal;
        if (!principal) {
          // auth-hook.ts lets an anonymous upgrade through only in public mode.
          if (request.publicOnly) live.hub.add(socket, filter, publicView);
          else socket.close(LIVE_CLOSE.sessionEnded, 'sign in first');
          return;
        }
        live.hub.add(socket, filter);
        // Sign-out (on any instance), expiry or removal of the user closes the socket; the dashboard then asks to sign in.
        const token = requestToken(request)?.token ?? '';
        const unwatch = ctx.auth.watchSession(token, () =>
          socket.close(LIVE_CLOSE.sessionEnded, 'session ended'),
        );
        socket.on('close', unwatch);
      },
    );
  };
}
