/** A counter's payload as stored metrics: `<class>_in` and `<class>_out` per travel class counted. */
import { TRAVEL_CLASSES, type MobilityTelemetry } from '../../contract/index.js';
import type { Metrics } from '../domain-module.js';

export function mobilityMetrics(payload: MobilityTelemetry): Metrics {
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
