/** `GET /api/alerts`, `GET /api/alerts/:id`, `POST /api/alerts/:id/ack`. */
import { Type, type Static, type TNumber } from '@sinclair/typebox';
import { ALERT_RULES, ALERT_STATES } from '../live-messages.js';
import { DOMAINS } from '../topics.js';
import type { ClientQuery } from './common.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TNumber>(schema: T) => Type.Union([schema, Type.Null()]);

/** One alert, as the REST routes serve it and the live stream carries it (`AlertEntity`). */
export const Alert = Type.Object({
  id: Type.String(),
  rule: literals(ALERT_RULES),
  severity: literals(['critical', 'warning', 'info'] as const),
  state: literals(ALERT_STATES),
  device: Type.String(),
  domain: literals(DOMAINS),
  site: Type.String(),
  pilot: Type.Union([Type.String(), Type.Null()]),
  opened_at: Type.Number({ description: 'epoch ms' }),
  updated_at: Type.Number(),
  acknowledged_at: Nullable(Type.Number()),
  acknowledged_by: Type.Union([Type.String(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  resolved_at: Nullable(Type.Number()),
  value: Nullable(Type.Number({ description: 'the measured value that opened the alert' })),
  threshold: Nullable(Type.Number({ description: 'the limit it crossed' })),
});
export type Alert = Static<typeof Alert>;

export const AlertList = Type.Array(Alert);

export const AlertIdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });
export type AlertIdParams = Static<typeof AlertIdParams>;

export const AlertListQuery = Type.Object({
  state: Type.Optional(literals([...ALERT_STATES, 'active'] as const)),
  domain: Type.Optional(literals(DOMAINS)),
  site: Type.Optional(Type.String({ maxLength: 64 })),
  device: Type.Optional(Type.String({ maxLength: 64 })),
  rule: Type.Optional(literals(ALERT_RULES)),
  limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
});
export type AlertListQuery = ClientQuery<Static<typeof AlertListQuery>, 'limit'>;

export const AlertAckBody = Type.Object({
  by: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type AlertAckBody = Static<typeof AlertAckBody>;
