/** Health, ingest counters and dead letters. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { REJECT_REASONS } from '../contract/index.js';
import type { SourceCounters } from '../ingest/ingest-stats.js';
import type { AppContext } from './context.js';

const Up = Type.Union([Type.Literal('ok'), Type.Literal('down')]);

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
  broker: Up,
  store: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
  uptime_s: Type.Number(),
  history: Type.Optional(
    Type.Object(
      {
        state: Type.Union([Type.Literal('loading'), Type.Literal('done'), Type.Literal('failed')]),
        percent: Type.Number(),
        readings: Type.Integer(),
        from: Type.Union([Type.String(), Type.Null()]),
      },
      { description: "the demo's simulated history: present once it starts" },
    ),
  ),
  sources: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object({
        state: Up,
        format: Type.String(),
        topic: Type.String(),
        broker: Type.String({ description: '"server" (the server\'s own broker) or the source\'s URL' }),
      }),
      { description: "each portfolio source's subscription; one that is down makes the status degraded" },
    ),
  ),
});

const Stats = Type.Object({
  received: Type.Integer(),
  stored: Type.Integer(),
  rejected: Type.Object({ total: Type.Integer(), by_reason: Type.Record(Type.String(), Type.Integer()) }),
  pending: Type.Integer({ description: 'accepted messages waiting to be written and acknowledged' }),
  dead_letters: Type.Integer(),
  seq_gaps: Type.Integer({ description: 'sequence numbers skipped, summed over devices' }),
  duplicates_ignored: Type.Integer({ description: 'metric rows already stored (re-deliveries)' }),
  statuses: Type.Integer(),
  events: Type.Integer(),
  sources: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object({
        received: Type.Integer({ description: 'messages' }),
        stored: Type.Integer({ description: 'readings durably stored' }),
        rejected: Type.Integer({
          description: 'rejections (dead letters); reasons are in rejected.by_reason',
        }),
        ignored: Type.Integer({ description: 'messages that carry no measurement' }),
      }),
      { description: 'per portfolio source; included in the totals above' },
    ),
  ),
  broker_auth: Type.Optional(
    Type.Object(
      {
        enforced: Type.Boolean({ description: 'devices must authenticate (DEVICE_KEY set)' }),
        connects_refused: Type.Object({
          total: Type.Integer(),
          by_reason: Type.Record(Type.String(), Type.Integer()),
        }),
        publishes_denied: Type.Integer({ description: 'publishes outside the client topic ACL' }),
        subscriptions_denied: Type.Integer({ description: 'subscriptions outside the client topic ACL' }),
      },
      { description: 'the embedded broker only: device authentication and ACL refusals since start-up' },
    ),
  ),
});

const DeadLetter = Type.Object({
  at: Type.String({ description: 'ISO 8601 time of rejection' }),
  topic: Type.String(),
  reason: Type.String(),
  detail: Type.String(),
  payload_head: Type.String({ description: 'first 512 bytes of the payload' }),
  source: Type.Optional(Type.String({ description: 'the portfolio source the message came from' })),
});

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

    app.get('/api/ingest/stats', { schema: { tags: ['operations'], response: { 200: Stats } } }, async () => {
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
    });

    app.get(
      '/api/ingest/dead-letters',
      {
        schema: {
          tags: ['operations'],
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            reason: Type.Optional(Type.Union(REJECT_REASONS.map((r) => Type.Literal(r)))),
          }),
          response: { 200: Type.Array(DeadLetter) },
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
