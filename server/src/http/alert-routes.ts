/**
 * Alerts: `GET /api/alerts` (filter by state, domain, site, device, rule), `GET /api/alerts/:id`
 * and `POST /api/alerts/:id/ack`. Acknowledging is the one write: it lives in its own plugin
 * (`alertAckRoutes`), so the security work can wrap it in authentication and roles alone.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALERT_RULES, ALERT_STATES, DOMAINS } from '../contract/index.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AppContext } from './context.js';
import { HttpError, notFound } from './errors.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

export const AlertSchema = Type.Object({
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

const IdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });

export function alertRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const alerts = ctx.alerts;
    if (!alerts) return;
    app.get(
      '/api/alerts',
      {
        schema: {
          tags: ['alerts'],
          description: 'Newest first. `state=active` means open or acknowledged.',
          querystring: Type.Object({
            state: Type.Optional(literals([...ALERT_STATES, 'active'] as const)),
            domain: Type.Optional(literals(DOMAINS)),
            site: Type.Optional(Type.String({ maxLength: 64 })),
            device: Type.Optional(Type.String({ maxLength: 64 })),
            rule: Type.Optional(literals(ALERT_RULES)),
            limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
          }),
          response: { 200: Type.Array(AlertSchema) },
        },
      },
      async (request) => alerts.book.list(request.query),
    );

    app.get(
      '/api/alerts/:id',
      { schema: { tags: ['alerts'], params: IdParams, response: { 200: AlertSchema } } },
      async (request) => {
        const alert = alerts.book.get(request.params.id);
        if (!alert) throw notFound(`unknown alert ${request.params.id}`);
        return alert;
      },
    );

    await app.register(alertAckRoutes(alerts));
  };
}

export function alertAckRoutes(alerts: AlertService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/alerts/:id/ack',
      {
        schema: {
          tags: ['alerts'],
          description:
            'Acknowledge an open alert: who and, optionally, why. 409 when it is not open. The signed-in user is ' +
            'recorded; `by` names the person when it differs (a shared crew account): "Nino (crew2)".',
          params: IdParams,
          body: Type.Object({
            by: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            comment: Type.Optional(Type.String({ maxLength: 1000 })),
          }),
          response: { 200: AlertSchema },
        },
      },
      async (request) => {
        const by = acknowledgedBy(request.body.by?.trim() ?? '', request.principal?.username);
        if (!by) throw new HttpError(400, 'bad_parameter', 'by: expected a name', 'by');
        const comment = request.body.comment?.trim() || undefined;
        const result = alerts.book.acknowledge(request.params.id, by, comment, Date.now());
        if (result.ok) return result.alert;
        if (result.error === 'not_found') throw notFound(`unknown alert ${request.params.id}`);
        throw new HttpError(
          409,
          `already_${result.error}`,
          `alert ${request.params.id} is already ${result.error}`,
        );
      },
    );
  };
}

/** The account that acknowledged, and the person's name when it is not the account's. */
function acknowledgedBy(name: string, username: string | undefined): string {
  if (!username) return name;
  return name && name !== username ? `${name} (${username})` : username;
}
