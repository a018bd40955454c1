/** Turns a validated telemetry payload into stored metrics, by the device's domain module. */
import type { DeviceConfig } from '../config/portfolio-schema.js';
import { domainModule } from '../domains/registry.js';
import type { Metrics } from '../domains/domain-module.js';

export type { Metrics } from '../domains/domain-module.js';

export function metricsFor(device: DeviceConfig, payload: unknown): Metrics {
  return domainModule(device.domain).normalise(device, payload);
}
