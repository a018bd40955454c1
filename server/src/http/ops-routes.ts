/** Health, ingest counters and dead letters. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeadLetterList, DeadLetterQuery, Health, IngestStats } from '../contract/api/ops.js';
import type { SourceCounters } from '../ingest/ingest-stats.js';
import type { AppContext } from './context.js';

export function opsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/health', { schema: { tags: ['operations'], response: { 200: Health } } }, async () => {
      const broker = ctx.ingest.brokerConnected() ? 'ok' : 'down';
      const store =
        ctx.store.health() === 'down' ? 'down' : ctx.ingest.storeRetrying() ? 'degraded' : ctx.store.health();
      const sources = ctx.sources?.() ?? {};
      // A source that is down loses nothing yet (its broker keeps the session): degraded, not down.
      const sourceDown = Object.values(sources).some((s) => s.state === 'down');
      const status =
        store === 'down'
          ? 'down'
          : broker === 'down' || store === 'degraded' || sourceDown
            ? 'degraded'
            : 'ok';
      const uptime_s = Math.round((Date.now() - ctx.startedAt) / 1000);
      const h = ctx.history;
      return {
        status,
        broker,
        store,
        uptime_s,
        ...(Object.keys(sources).length > 0 ? { sources } : {}),
        ...(h && h.state !== 'off'
          ? {
              history: {
                state: h.state,
                percent: Math.round(h.fraction * 1000) / 10,
                readings: h.messages,
                from: h.from,
              },
            }
          : {}),
      } as const;
    });

    app.get(
      '/api/ingest/stats',
      { schema: { tags: ['operations'], response: { 200: IngestStats } } },
      async () => {
        const c = ctx.stats.counters;
        return {
          received: c.received,
          stored: c.stored,
          rejected: { total: c.rejected.total, by_reason: { ...c.rejected.by_reason } },
          pending: ctx.ingest.pending(),
          dead_letters: ctx.deadLetters.size,
          seq_gaps: c.seq_gaps,
          duplicates_ignored: c.duplicates_ignored,
          statuses: c.statuses,
          events: c.events,
          ...sourceCounters(ctx, c.sources),
          ...brokerAuthField(ctx),
        };
      },
    );

    app.get(
      '/api/ingest/dead-letters',
      {
        schema: {
          tags: ['operations'],
          querystring: DeadLetterQuery,
          response: { 200: DeadLetterList },
        },
      },
      async (request) =>
        ctx.deadLetters
          .newest(request.query.limit, request.query.reason)
          .map((letter) => ({ ...letter, at: new Date(letter.at).toISOString() })),
    );
  };
}

function brokerAuthField(ctx: AppContext) {
  const auth = ctx.brokerAuth?.();
  if (!auth) return {};
  const refused = auth.connects_refused;
  return {
    broker_auth: { ...auth, connects_refused: { total: refused.total, by_reason: { ...refused.by_reason } } },
  };
}

/** Every configured source, with zeros until its first message; nothing without sources. */
function sourceCounters(ctx: AppContext, counted: Readonly<Record<string, SourceCounters>>) {
  const ids = Object.keys(ctx.sources?.() ?? {});
  if (ids.length === 0) return {};
  const sources: Record<string, SourceCounters> = {};
  for (const id of ids)
    sources[id] = { ...(counted[id] ?? { received: 0, stored: 0, rejected: 0, ignored: 0 }) };
  return { sources };
}
