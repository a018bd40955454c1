/** A meter's payload as stored metrics: the import register, power and export register it sent. */
import type { EnergyTelemetry } from '../../contract/index.js';
import type { Metrics } from '../domain-module.js';

export function energyMetrics(payload: EnergyTelemetry): Metrics {
  const { energy_kwh: register, power_kw: power } = payload;
  if (register === undefined && power === undefined)
    return { ok: false, reason: 'schema_violation', detail: 'payload: expected energy_kwh or power_kw' };
  const metrics: Record<string, number> =
    register !== undefined && power !== undefined
      ? { energy_kwh: register, power_kw: power }
      : register !== undefined
        ? { energy_kwh: register }
        : { power_kw: power as number };
  if (payload.export_kwh !== undefined) metrics.export_kwh = payload.export_kwh;
  return { ok: true, metrics };
}
