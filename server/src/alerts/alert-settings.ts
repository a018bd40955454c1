/**
 * Alert thresholds: the `alerts:` section of config/portfolio.yaml. Every key is optional;
 * the value for a device is merged from, lowest first: the code defaults, `defaults`, its
 * domain (`waste`, `mobility`, `energy`), its `models.<model>`, its `sites.<site>` and
 * `devices.<id>`. Unknown keys are rejected at start-up, so a typo never silently disables a rule.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { PilotDomain } from '../domains/domain-module.js';
import type { DeviceConfig, Portfolio } from '../config/portfolio-schema.js';
import { ConfigError } from '../config/config-error.js';
import { OVERFLOW_FILL } from '../domains/waste/fill-thresholds.js';

const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const Hour = Type.Integer({ minimum: 0, maximum: 24 });
const Positive = Type.Number({ exclusiveMinimum: 0 });

export const AlertThresholds = Type.Object(
  {
    // every device
    offline_intervals: Type.Number({ minimum: 1, description: 'silence, in reporting intervals' }),
    battery_low_v: Type.Number({ minimum: 0 }),
    stuck_readings: Type.Integer({ minimum: 2, description: 'identical consecutive readings' }),
    seq_gap_rate: Fraction,
    seq_gap_window: Type.Integer({ minimum: 10, description: 'readings the gap rate is measured over' }),
    // waste
    fill_threshold: Fraction,
    fill_hysteresis: Fraction,
    full_within_h: Positive,
    overflow_fill: Fraction,
    fire_temp_c: Type.Number(),
    fire_rise_c: Positive,
    tilt_deg: Type.Number({ minimum: 0, maximum: 180 }),
    fill_rate_window_h: Positive,
    // mobility
    zero_daytime_h: Positive,
    daytime_from_h: Hour,
    daytime_to_h: Hour,
    // energy
    night_from_h: Hour,
    night_to_h: Hour,
    night_margin: Type.Number({ minimum: 0, description: 'fraction above the baseline' }),
    night_baseline_kw: Type.Number({ minimum: 0, description: 'fixed baseline; else the last 7 days' }),
    night_min_readings: Type.Integer({ minimum: 1 }),
    spike_factor: Type.Number({ exclusiveMinimum: 1 }),
    spike_min_kw: Type.Number({ minimum: 0 }),
    reset_drop_kwh: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type AlertThresholds = Static<typeof AlertThresholds>;

const Partial = Type.Partial(AlertThresholds, { additionalProperties: false });
const Overrides = Type.Record(Type.String(), Partial);

export const AlertsConfig = Type.Object(
  {
    defaults: Type.Optional(Partial),
    waste: Type.Optional(Partial),
    mobility: Type.Optional(Partial),
    energy: Type.Optional(Partial),
    models: Type.Optional(Overrides),
    sites: Type.Optional(Overrides),
    devices: Type.Optional(Overrides),
  },
  { additionalProperties: false },
);
export type AlertsConfig = Static<typeof AlertsConfig>;

/** Code defaults (docs/operations.md lists them). `night_baseline_kw` has none: the learned profile is used. */
export const DEFAULT_THRESHOLDS: Omit<AlertThresholds, 'night_baseline_kw'> = {
  offline_intervals: 3,
  battery_low_v: 3.3,
  stuck_readings: 8,
  seq_gap_rate: 0.1,
  seq_gap_window: 96,
  fill_threshold: 0.85,
  fill_hysteresis: 0.05,
  full_within_h: 12,
  overflow_fill: OVERFLOW_FILL,
  fire_temp_c: 70,
  fire_rise_c: 25,
  tilt_deg: 45,
  fill_rate_window_h: 12,
  zero_daytime_h: 3,
  daytime_from_h: 8,
  daytime_to_h: 20,
  night_from_h: 22,
  night_to_h: 5,
  night_margin: 0.3,
  night_min_readings: 4,
  spike_factor: 4,
  spike_min_kw: 2,
  reset_drop_kwh: 1,
};

export type DeviceThresholds = typeof DEFAULT_THRESHOLDS & { night_baseline_kw?: number };

export function thresholdsFor(config: AlertsConfig | undefined, device: DeviceConfig): DeviceThresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    ...config?.defaults,
    ...domainOverrides(config, device.domain),
    ...(device.model !== undefined ? config?.models?.[device.model] : undefined),
    ...config?.sites?.[device.site],
    ...config?.devices?.[device.id],
  };
}

/** The `alerts.<domain>` section, for the domains the schema gives one (a station's has none). */
function domainOverrides(config: AlertsConfig | undefined, domain: DeviceConfig['domain']) {
  return Object.hasOwn(AlertsConfig.properties, domain) ? config?.[domain as PilotDomain] : undefined;
}

/** Cross-references the schema cannot check: overrides must name known sites and devices. */
export function checkAlertReferences(portfolio: Portfolio & { alerts?: AlertsConfig }, label: string): void {
  const alerts = portfolio.alerts;
  if (!alerts) return;
  const known = {
    sites: new Set(portfolio.sites.map((s) => s.id)),
    devices: new Set(portfolio.devices.map((d) => d.id)),
  };
  for (const field of ['sites', 'devices'] as const) {
    for (const id of Object.keys(alerts[field] ?? {})) {
      if (!known[field].has(id))
        throw new ConfigError(`${label}:/alerts/${field}/${id}`, `expected a known ${field.slice(0, -1)}`);
    }
  }
}
