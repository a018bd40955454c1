/** Turns a validated telemetry payload into stored metrics, using the device's registry entry. */
import type {
  EnergyTelemetry,
  MobilityTelemetry,
  WasteTelemetry,
  WeatherTelemetry,
} from '../contract/index.js';
import { TRAVEL_CLASSES } from '../contract/index.js';
import type { Rejection } from '../contract/index.js';
import type { DeviceConfig, WasteDevice } from '../config/portfolio-schema.js';
import { weatherMetrics } from '../domains/weather/normalise.js';

export type Metrics = { ok: true; metrics: Record<string, number> } | ({ ok: false } & Rejection);

/** Fill fraction from an ultrasonic distance: empty_mm reads 0, full_mm reads 1; clamped to [0, 1]. */
export function fillFromDistance(
  distanceMm: number,
  calibration: { empty_mm: number; full_mm: number },
): number {
  const fill = (calibration.empty_mm - distanceMm) / (calibration.empty_mm - calibration.full_mm);
  return Math.min(1, Math.max(0, fill));
}

function wasteMetrics(device: WasteDevice, payload: WasteTelemetry): Metrics {
  const { battery_v: battery, temp_c: temp } = payload;
  // The common reading in one literal: a property added later would give every metrics object (the
  // live state keeps each device's latest) a separate property array.
  if (
    payload.fill !== undefined &&
    battery !== undefined &&
    temp !== undefined &&
    payload.tilt_deg === undefined &&
    payload.distance_mm === undefined
  )
    return { ok: true, metrics: { battery_v: battery, temp_c: temp, fill: payload.fill } };
  const metrics: Record<string, number> = {};
  if (battery !== undefined) metrics.battery_v = battery;
  if (temp !== undefined) metrics.temp_c = temp;
  if (payload.tilt_deg !== undefined) metrics.tilt_deg = payload.tilt_deg;
  if (payload.distance_mm !== undefined) metrics.distance_mm = payload.distance_mm;
  if (payload.fill !== undefined) {
    metrics.fill = payload.fill;
  } else if (payload.distance_mm !== undefined) {
    if (!device.calibration) {
      return {
        ok: false,
        reason: 'calibration_missing',
        detail: `${device.id} sends distance_mm but has no calibration`,
      };
    }
    metrics.fill = fillFromDistance(payload.distance_mm, device.calibration);
  } else {
    return { ok: false, reason: 'schema_violation', detail: 'payload: expected fill or distance_mm' };
  }
  return { ok: true, metrics };
}

function mobilityMetrics(payload: MobilityTelemetry): Metrics {
  const metrics: Record<string, number> = { interval_s: payload.interval_s };
  for (const cls of TRAVEL_CLASSES) {
    const counts = payload.counts[cls];
    if (!counts) continue;
    metrics[`${cls}_in`] = counts.in;
    metrics[`${cls}_out`] = counts.out;
  }
  if (Object.keys(metrics).length === 1) {
    return {
      ok: false,
      reason: 'schema_violation',
      detail: `/counts: expected one of ${TRAVEL_CLASSES.join(', ')}`,
    };
  }
  return { ok: true, metrics };
}

function energyMetrics(payload: EnergyTelemetry): Metrics {
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

export function metricsFor(device: DeviceConfig, payload: unknown): Metrics {
  switch (device.domain) {
    case 'waste':
      return wasteMetrics(device, payload as WasteTelemetry);
    case 'mobility':
      return mobilityMetrics(payload as MobilityTelemetry);
    case 'energy':
      return energyMetrics(payload as EnergyTelemetry);
    case 'weather':
      return { ok: true, metrics: weatherMetrics(payload as WeatherTelemetry) };
  }
}
