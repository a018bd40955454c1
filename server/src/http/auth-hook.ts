/**
 * Authentication and roles for every route: an onRoute hook gives each route its access rule from
 * server/src/auth/route-access.ts (refusing to start when a route has none) and an onRequest check
 * that answers 401 without a valid session and 403 when the role lacks the permission. It runs
 * before the body is read, and before a WebSocket upgrade (a refused `/ws` gets a plain 401).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, Principal } from '../auth/auth-service.js';
import type { PublicView } from '../auth/public-view.js';
import { routeAccess, type RouteAccess } from '../auth/route-access.js';
import { can } from '../auth/roles.js';
import { HttpError } from './errors.js';
import { fromOtherSite, requestToken } from './credentials.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; undefined for anonymous requests. */
    principal: Principal | undefined;
    /** An anonymous request let in by public mode: it may see only the public view. */
    publicOnly: boolean;
  }
  interface FastifyContextConfig {
    /** Overrides the table in route-access.ts (tests, plugins of other features). */
    access?: RouteAccess;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(
  app: FastifyInstance,
  auth: AuthService,
  publicView: PublicView,
  allowedOrigins: readonly string[],
): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('publicOnly', false);

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    const declared = route.config?.access;
    const rule = routeAccess(methods[0] as string, route.url ?? route.path, declared);
    if (rule === undefined || methods.some((m) => routeAccess(m, route.url ?? route.path, declared) !== rule))
      throw new Error(
        `${methods.join(',')} ${route.url}: no access rule; add it to server/src/auth/route-access.ts`,
      );
    const check = (request: FastifyRequest, reply: FastifyReply) => guard(request, reply, rule);
    route.onRequest = [route.onRequest ?? []].flat().concat(check);
  });

  async function guard(request: FastifyRequest, reply: FastifyReply, rule: RouteAccess): Promise<void> {
    const access = typeof rule === 'function' ? rule(request) : rule;
    const credential = requestToken(request);
    const principal = credential && auth.authenticate(credential.token, credential.via);
    request.principal = principal;
    if (access === 'public') return;
    if (!principal) {
      if (access === 'read-or-public' && publicView.enabled) {
        request.publicOnly = true;
        return;
      }
      auth.counters.unauthenticated++;
      void reply.header('www-authenticate', 'Bearer realm="kutaisi"');
      throw new HttpError(
        401,
        'unauthorized',
        credential
          ? 'the session has expired or is unknown: sign in again'
          : 'sign in first (POST /api/auth/login)',
      );
    }
    if (
      principal.via === 'cookie' &&
      (!SAFE_METHODS.has(request.method) || request.ws) &&
      fromOtherSite(request, allowedOrigins)
    ) {
      auth.counters.denied++;
      throw new HttpError(403, 'cross_site', 'refused: the request comes from another site');
    }
    const permission = access === 'read-or-public' ? 'read' : access;
    if (!can(principal.role, permission)) {
      auth.counters.denied++;
      throw new HttpError(403, 'forbidden', `the role ${principal.role} does not grant ${permission}`);
    }
  }
}
