/** A bin's payload as stored metrics: its fill as sent, or computed from an ultrasonic distance. */
import type { WasteTelemetry } from '../../contract/index.js';
import type { WasteDevice } from '../../config/portfolio-schema.js';
import type { Metrics } from '../domain-module.js';

/** Fill fraction from an ultrasonic distance: empty_mm reads 0, full_mm reads 1; clamped to [0, 1]. */
export function fillFromDistance(
  distanceMm: number,
  calibration: { empty_mm: number; full_mm: number },
): number {
  const fill = (calibration.empty_mm - distanceMm) / (calibration.empty_mm - calibration.full_mm);
  return Math.min(1, Math.max(0, fill));
}

export function wasteMetrics(device: WasteDevice, payload: WasteTelemetry): Metrics {
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
