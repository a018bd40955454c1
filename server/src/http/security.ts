/**
 * HTTP hardening: security headers with a Content-Security-Policy the built dashboard runs under,
 * rate limits (global per client address, stricter on sign-in), CORS closed unless CORS_ORIGINS
 * lists origins, a bound on the URL, and a logger that never writes credentials.
 */
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { SecuritySettings } from '../auth/auth-settings.js';
import { HttpError } from './errors.js';

/** Longest request target (path and query) accepted; the API's own URLs stay far below it. */
export const MAX_URL_LENGTH = 4096;

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Svelte and uPlot set style attributes; inline styles cannot run code.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // 'self' covers the same-origin ws:// and wss:// of the live stream.
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Off: a plain-http deployment on the city's network would otherwise have its requests rewritten to https.
  upgradeInsecureRequests: null,
};

/** Paths pino replaces with "[redacted]" wherever they appear in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'token',
  '*.password',
  '*.token',
  '*.authorization',
  '*.cookie',
];

export function loggerOptions(logger: boolean | Record<string, unknown>): boolean | Record<string, unknown> {
  if (logger === false) return false;
  return { ...(logger === true ? {} : logger), redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

export async function registerSecurity(app: FastifyInstance, settings: SecuritySettings): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH)
      throw new HttpError(414, 'uri_too_long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // The dashboard is not meant to be framed; the CSP's frame-ancestors says the same to newer browsers.
    frameguard: { action: 'deny' },
  });
  await app.register(rateLimit, {
    global: settings.rateLimitMax > 0,
    max: settings.rateLimitMax > 0 ? settings.rateLimitMax : 1_000,
    timeWindow: 60_000,
    // Bounded memory however many addresses call.
    cache: 10_000,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'rate_limited',
        `too many requests: at most ${context.max} a minute, retry in ${context.after}`,
      ),
  });
  if (settings.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: settings.corsOrigins,
      credentials: true,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    });
  }
}
