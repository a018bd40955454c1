/**
 * Alerts: `GET /api/alerts` (filter by state, domain, site, device, rule), `GET /api/alerts/:id`
 * and `POST /api/alerts/:id/ack`. Acknowledging is the one write: it lives in its own plugin
 * (`alertAckRoutes`), so the security work can wrap it in authentication and roles alone.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Alert, AlertAckBody, AlertIdParams, AlertList, AlertListQuery } from '../contract/api/alerts.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AppContext } from './context.js';
import { HttpError, notFound } from './errors.js';

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
          querystring: AlertListQuery,
          response: { 200: AlertList },
        },
      },
      async (request) => alerts.book.list(request.query),
    );

    app.get(
      '/api/alerts/:id',
      { schema: { tags: ['alerts'], params: AlertIdParams, response: { 200: Alert } } },
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
          params: AlertIdParams,
          body: AlertAckBody,
          response: { 200: Alert },
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
