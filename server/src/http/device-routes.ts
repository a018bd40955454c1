/** The device registry joined with live state: /api/devices and /api/devices/:id. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEVICE_ID_PATTERN, DOMAINS } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { AppContext } from './context.js';
import { notFound } from './errors.js';

const KIND_BY_DOMAIN = { waste: 'bin', mobility: 'counter', energy: 'meter', weather: 'station' } as const;

const DeviceSummary = Type.Object({
  id: Type.String(),
  domain: Type.String(),
  kind: Type.String({ description: 'bin, counter, meter or station' }),
  site: Type.String(),
  pilot: Type.Union([Type.String(), Type.Null()], { description: 'null for a weather station' }),
  arm: Type.String({ description: 'intervention, control or none, from the registry at query time' }),
  last_seen: Type.Union([Type.Integer(), Type.Null()], { description: 'epoch ms of the newest reading' }),
  health: Type.String({ description: 'online, late, offline or unknown' }),
  reporting_interval_s: Type.Integer(),
});

const DeviceDetail = Type.Composite([
  DeviceSummary,
  Type.Object({
    status: Type.Union([Type.String(), Type.Null()]),
    seq_gaps: Type.Integer(),
    config: Type.Record(Type.String(), Type.Unknown()),
    values: Type.Record(Type.String(), Type.Object({ value: Type.Number(), ts: Type.Integer() })),
  }),
]);

export function deviceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const summary = (device: DeviceConfig, now: number) => ({
    id: device.id,
    domain: device.domain,
    kind: KIND_BY_DOMAIN[device.domain],
    site: device.site,
    pilot: device.pilot ?? null,
    arm: ctx.registry.arm(device),
    last_seen: ctx.tracker.get(device.id)?.lastSeen ?? null,
    health: ctx.tracker.health(device.id, now),
    reporting_interval_s: device.reporting_interval_s,
  });

  return async (app) => {
    app.get(
      '/api/devices',
      {
        schema: {
          tags: ['devices'],
          querystring: Type.Object({
            domain: Type.Optional(Type.Union(DOMAINS.map((d) => Type.Literal(d)))),
            site: Type.Optional(Type.String({ maxLength: 64 })),
            pilot: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: Type.Array(DeviceSummary) },
        },
      },
      async (request) => {
        const now = Date.now();
        return ctx.registry.devicesWhere(request.query).map((device) => summary(device, now));
      },
    );

    app.get(
      '/api/devices/:id',
      {
        schema: {
          tags: ['devices'],
          params: Type.Object({ id: Type.String({ pattern: DEVICE_ID_PATTERN.source }) }),
          response: { 200: DeviceDetail },
        },
      },
      async (request) => {
        const device = ctx.registry.device(request.params.id);
        if (!device) throw notFound(`unknown device ${request.params.id}`);
        const latest = await ctx.store.latest([device.id]);
        const live = ctx.tracker.get(device.id);
        return {
          ...summary(device, Date.now()),
          status: live?.status ?? null,
          seq_gaps: live?.seqGaps ?? 0,
          config: { ...device },
          values: latest.get(device.id) ?? {},
        };
      },
    );
  };
}
