/** buildApp: the Fastify instance with every route, for main.ts and for tests (app.inject). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PublicView } from './auth/public-view.js';
import type { AppContext } from './http/context.js';
import { alertRoutes } from './http/alert-routes.js';
import { installAuth } from './http/auth-hook.js';
import { authRoutes } from './http/auth-routes.js';
import { deviceHealthRoutes } from './http/device-health-routes.js';
import { deviceRoutes } from './http/device-routes.js';
import { installErrorHandler } from './http/errors.js';
import { experimentRoutes } from './http/experiment-routes.js';
import { trackHandlers } from './http/in-flight.js';
import { ingestBatchRoutes } from './http/ingest-batch-routes.js';
import { liveRoutes } from './http/live-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { publicRoutes } from './http/public-routes.js';
import { loggerOptions, registerSecurity } from './http/security.js';
import { seriesRoutes } from './http/series-routes.js';
import { userRoutes } from './http/user-routes.js';
import { wasteRoutes } from './http/waste-routes.js';

/** `logger`: the runtime's logger (server/src/parts/logger.ts), or Fastify logger options (false: none). */
export async function buildApp(
  ctx: AppContext,
  logger: boolean | Record<string, unknown> | FastifyBaseLogger = false,
): Promise<FastifyInstance> {
  const security = ctx.settings.security;
  const app = Fastify({
    ...(isLogger(logger) ? { loggerInstance: logger } : { logger: loggerOptions(logger) }),
    // Behind a reverse proxy: the client's address (rate limits) and https (Secure cookies) from X-Forwarded-*.
    trustProxy: security.trustProxy,
    bodyLimit: 64 * 1024,
    // Query strings are short by contract; refuse anything that is not.
    routerOptions: { maxParamLength: 200 },
    // One line per request drowns the ingest log; errors are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  trackHandlers(app);
  // Before every route, so each gets its rate limit and then its access check (in that order).
  await registerSecurity(app, security);
  const publicView = PublicView.of(ctx.registry.portfolio.public);
  installAuth(app, ctx.auth, publicView, security.corsOrigins);
  app.addHook('onClose', async () => ctx.auth.close());
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kutaisi Eco-Smart Pilot Telemetry',
        version: '0.1.0',
        description:
          'Live and historical telemetry of the Kutaisi eco-smart pilots. Times are epoch milliseconds.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // Clients only send small control messages (subscribe, ping).
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });

  await app.register(opsRoutes(ctx));
  await app.register(ingestBatchRoutes(ctx));
  await app.register(authRoutes(ctx.auth, publicView, security));
  await app.register(userRoutes(ctx.auth));
  await app.register(publicRoutes(ctx, publicView));
  await app.register(deviceRoutes(ctx));
  await app.register(seriesRoutes(ctx));
  await app.register(liveRoutes(ctx));
  await app.register(experimentRoutes(ctx));
  await app.register(alertRoutes(ctx));
  await app.register(wasteRoutes(ctx));
  await app.register(deviceHealthRoutes(ctx));

  if (existsSync(ctx.dashboardDir)) {
    await app.register(fastifyStatic, { root: resolve(ctx.dashboardDir), prefix: '/', index: 'index.html' });
  }
  return app;
}

function isLogger(
  logger: boolean | Record<string, unknown> | FastifyBaseLogger,
): logger is FastifyBaseLogger {
  return typeof logger === 'object' && typeof logger.child === 'function';
}
