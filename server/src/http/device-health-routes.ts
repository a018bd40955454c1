/**
 * `GET /api/device-health`: per device its health, battery and data completeness (readings
 * stored ÷ readings expected from the reporting interval) over the last 24 hours and 7 days.
 * A page an operator opens, not a live rule: it may ask the store.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Domain } from '../contract/index.js';
import { DeviceHealthList, DeviceHealthQuery } from '../contract/api/device-health.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { AppContext } from './context.js';

const DAY_MS = 86_400_000;
/**
 * The metrics a reading of a domain carries, one row each: a reading has at least one of them
 * (a meter may send only its register or only its power), so a device's count is the largest.
 */
const READING_METRICS: Record<Domain, string[]> = {
  waste: ['fill'],
  mobility: ['interval_s'],
  energy: ['power_kw', 'energy_kwh'],
  weather: ['temp_c'],
};

export function deviceHealthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  /** Readings stored per device in [now − windowMs, now). */
  const counts = async (devices: DeviceConfig[], now: number, windowMs: number) => {
    const out = new Map<string, number>();
    for (const domain of Object.keys(READING_METRICS) as Domain[]) {
      const mine = devices.filter((d) => d.domain === domain);
      if (mine.length === 0) continue;
      for (const metric of READING_METRICS[domain]) {
        const result = await ctx.store.series({
          selectors: mine.map((d) => ({ key: d.id, devices: [d.id] })),
          metric,
          from: now - windowMs,
          to: now,
          step: windowMs,
          agg: 'count',
        });
        for (const s of result.series) {
          const n = s.values.reduce<number>((a, v) => a + (v ?? 0), 0);
          out.set(s.key, Math.max(out.get(s.key) ?? 0, n));
        }
      }
    }
    return out;
  };

  return async (app) => {
    app.get(
      '/api/device-health',
      {
        schema: {
          tags: ['devices'],
          querystring: DeviceHealthQuery,
          response: { 200: DeviceHealthList },
        },
      },
      async (request) => {
        const now = Date.now();
        const devices = ctx.registry.devicesWhere(request.query);
        const [day, week] = await Promise.all([
          counts(devices, now, DAY_MS),
          counts(devices, now, 7 * DAY_MS),
        ]);
        const open = new Map<string, number>();
        for (const a of ctx.alerts?.book.active() ?? []) open.set(a.device, (open.get(a.device) ?? 0) + 1);
        const share = (n: number | undefined, windowMs: number, d: DeviceConfig) =>
          Math.min(1, (n ?? 0) / (windowMs / (d.reporting_interval_s * 1000)));
        return devices.map((d) => {
          const live = ctx.tracker.get(d.id);
          return {
            id: d.id,
            domain: d.domain,
            site: d.site,
            pilot: d.pilot ?? null,
            health: ctx.tracker.health(d.id, now),
            status: live?.status ?? null,
            last_seen: live?.lastSeen ?? null,
            battery_v: live?.values.battery_v ?? null,
            seq_gaps: live?.seqGaps ?? 0,
            completeness_24h: share(day.get(d.id), DAY_MS, d),
            completeness_7d: share(week.get(d.id), 7 * DAY_MS, d),
            open_alerts: open.get(d.id) ?? 0,
          };
        });
      },
    );
  };
}
