/** The device registry joined with live state: /api/devices and /api/devices/:id. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeviceDetail, DeviceIdParams, DeviceList, DeviceListQuery } from '../contract/api/devices.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { AppContext } from './context.js';
import { notFound } from './errors.js';

const KIND_BY_DOMAIN = { waste: 'bin', mobility: 'counter', energy: 'meter', weather: 'station' } as const;

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
          querystring: DeviceListQuery,
          response: { 200: DeviceList },
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
          params: DeviceIdParams,
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
