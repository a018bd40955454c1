/**
 * The REST contract: each route's TypeBox schemas (request and response), with their `Static` types.
 * The routes in server/src/http/ validate and serialise with the schemas, and the OpenAPI document is
 * made from them; the dashboard imports only the types (`import type`), so no TypeBox is bundled.
 */
export * from './common.js';
export * from './alerts.js';
export * from './auth.js';
export * from './device-health.js';
export * from './devices.js';
export * from './experiments.js';
export * from './live.js';
export * from './ops.js';
export * from './portfolio.js';
export * from './public.js';
export * from './series.js';
export * from './waste.js';
