/** Operations: `GET /api/health`, the ingest's counters and dead letters, and `POST /api/ingest/batch`. */
import { Type, type Static } from '@sinclair/typebox';
import { REJECT_REASONS } from '../reasons.js';
import type { ClientQuery } from './common.js';

const Up = Type.Union([Type.Literal('ok'), Type.Literal('down')]);

export const Health = Type.Object({
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
export type Health = Static<typeof Health>;

const Rejected = Type.Object({
  total: Type.Integer(),
  by_reason: Type.Record(Type.String(), Type.Integer()),
});

export const IngestStats = Type.Object({
  received: Type.Integer(),
  stored: Type.Integer(),
  rejected: Rejected,
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
        connects_refused: Rejected,
        publishes_denied: Type.Integer({ description: 'publishes outside the client topic ACL' }),
        subscriptions_denied: Type.Integer({ description: 'subscriptions outside the client topic ACL' }),
      },
      { description: 'the embedded broker only: device authentication and ACL refusals since start-up' },
    ),
  ),
});
export type IngestStats = Static<typeof IngestStats>;

export const DeadLetterQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  reason: Type.Optional(Type.Union(REJECT_REASONS.map((r) => Type.Literal(r)))),
});
export type DeadLetterQuery = ClientQuery<Static<typeof DeadLetterQuery>, 'limit'>;

export const DeadLetter = Type.Object({
  at: Type.String({ description: 'ISO 8601 time of rejection' }),
  topic: Type.String(),
  reason: Type.String(),
  detail: Type.String(),
  payload_head: Type.String({ description: 'first 512 bytes of the payload' }),
  source: Type.Optional(Type.String({ description: 'the portfolio source the message came from' })),
});
export type DeadLetter = Static<typeof DeadLetter>;

export const DeadLetterList = Type.Array(DeadLetter);

export const BatchRejection = Type.Object({
  line: Type.Integer(),
  reason: Type.String(),
  detail: Type.String(),
});
export type BatchRejection = Static<typeof BatchRejection>;

export const BatchResult = Type.Object({
  lines: Type.Integer(),
  readings: Type.Integer({
    description: 'accepted and durably stored (re-deliveries included, stored once)',
  }),
  statuses: Type.Integer(),
  events: Type.Integer(),
  rejected: Rejected,
  first_rejections: Type.Array(BatchRejection, { description: 'the first 20 rejected lines' }),
});
export type BatchResult = Static<typeof BatchResult>;
