/**
 * The one table of who may call which route. Every route must be listed (or declare
 * `config: { access }` itself): buildApp refuses to start with a route that is not, so a new
 * route can never be open by accident.
 *
 *   public          anyone, signed in or not
 *   <permission>    a signed-in user whose role grants it (roles.ts)
 *   read-or-public  signed in with `read`, or anonymous in public mode (then filtered to the public view)
 */
import type { FastifyRequest } from 'fastify';
import type { Permission } from './roles.js';

export type Access = 'public' | 'read-or-public' | Permission;
export type RouteAccess = Access | ((request: FastifyRequest) => Access);

/** The collection plan is a read; its CSV download is a raw-data export. */
const collectionPlan = (request: FastifyRequest): Access => {
  const format = (request.query as Record<string, unknown> | undefined)?.format;
  const csv = format === 'csv' || (format === undefined && /text\/csv/.test(request.headers.accept ?? ''));
  return csv ? 'data:export' : 'read';
};

export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Monitoring and signing in.
  'GET /api/health': 'public',
  'GET /api/auth/config': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'read',
  'GET /api/public/indicators': 'public',
  // Live stream and what the dashboard needs to draw it.
  'GET /ws': 'read-or-public',
  'GET /api/portfolio': 'read',
  'GET /api/live/stats': 'read',
  // Read APIs.
  'GET /api/ingest/stats': 'read',
  'GET /api/ingest/dead-letters': 'read',
  'GET /api/devices': 'read',
  'GET /api/devices/:id': 'read',
  'GET /api/device-health': 'read',
  'GET /api/series': 'read',
  'GET /api/alerts': 'read',
  'GET /api/alerts/:id': 'read',
  'GET /api/experiments': 'read',
  'GET /api/experiments/:id/effects': 'read',
  'GET /api/waste/collection-plan': collectionPlan,
  // Evidence and raw data.
  'GET /api/experiments/:id/export': 'data:export',
  'GET /api/experiments/report': 'data:export',
  // Operations.
  'POST /api/alerts/:id/ack': 'alerts:ack',
  'POST /api/ingest/batch': 'data:import',
  // Users.
  'GET /api/auth/users': 'users:manage',
  'POST /api/auth/users': 'users:manage',
  'DELETE /api/auth/users/:username': 'users:manage',
  'GET /api/auth/stats': 'users:manage',
};

/** The dashboard's files and the OpenAPI pages: public (the dashboard then asks to sign in). */
const PUBLIC_PREFIXES = ['/api/docs'];
const STATIC_ROUTES = new Set(['/', '/*']);

/** The access of a route, or undefined when nobody declared one. HEAD follows GET. */
export function routeAccess(method: string, url: string, declared?: RouteAccess): RouteAccess | undefined {
  if (declared !== undefined) return declared;
  const verb = method === 'HEAD' ? 'GET' : method;
  const listed = ROUTE_ACCESS[`${verb} ${url}`];
  if (listed !== undefined) return listed;
  const underPublic = PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));
  if (verb === 'GET' && (STATIC_ROUTES.has(url) || underPublic)) return 'public';
  return undefined;
}
