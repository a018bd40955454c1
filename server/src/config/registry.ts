/**
 * The device registry built from the portfolio. Pilot and experiment arm are
 * resolved here at query time, so re-labelling an arm never rewrites history.
 */
import type { Domain } from '../contract/index.js';
import type { DeviceConfig, Experiment, Pilot, Portfolio, Site } from './portfolio-schema.js';

export type Arm = 'intervention' | 'control' | 'none';

export class Registry {
  readonly devices: ReadonlyMap<string, DeviceConfig>;
  readonly sites: ReadonlyMap<string, Site>;
  readonly pilots: ReadonlyMap<string, Pilot>;

  constructor(readonly portfolio: Portfolio) {
    shareRepeatedValues(portfolio.devices);
    this.devices = new Map(portfolio.devices.map((d) => [d.id, d]));
    this.sites = new Map(portfolio.sites.map((s) => [s.id, s]));
    this.pilots = new Map(portfolio.pilots.map((p) => [p.id, p]));
  }

  device(id: string): DeviceConfig | undefined {
    return this.devices.get(id);
  }

  /** The arm of a device's site in the first experiment of its pilot. */
  arm(device: DeviceConfig): Arm {
    if (device.pilot === undefined) return 'none';
    const experiment = this.pilots.get(device.pilot)?.experiments[0];
    return experiment ? armOf(experiment, device.site) : 'none';
  }

  devicesWhere(filter: { site?: string; pilot?: string; domain?: Domain }): DeviceConfig[] {
    return this.portfolio.devices.filter(
      (d) =>
        (filter.site === undefined || d.site === filter.site) &&
        (filter.pilot === undefined || d.pilot === filter.pilot) &&
        (filter.domain === undefined || d.domain === filter.domain),
    );
  }
}

export function armOf(experiment: Experiment, site: string): Arm {
  if (experiment.intervention_sites.includes(site)) return 'intervention';
  if (experiment.control_sites.includes(site)) return 'control';
  return 'none';
}

/**
 * Makes the devices share equal field values: a parsed portfolio has its own copy of "smart-waste",
 * "ultrasonic-fill-v2" or `{ empty_mm: 1200, full_mm: 150 }` in every device (JSON.parse and the
 * YAML parser make a new string or object per value), about 150 bytes a device at 50,000 devices.
 * Device configs are read-only, so sharing is invisible; the ids stay as they are (unique).
 */
function shareRepeatedValues(devices: readonly DeviceConfig[]): void {
  const seen = new Map<string, unknown>();
  const shared = <T>(key: string, value: T): T => {
    const first = seen.get(key);
    if (first !== undefined) return first as T;
    seen.set(key, value);
    return value;
  };
  for (const device of devices as unknown as Record<string, unknown>[]) {
    for (const [field, value] of Object.entries(device)) {
      if (field === 'id') continue;
      if (typeof value === 'string') device[field] = shared(`s${value}`, value);
      else if (typeof value === 'object' && value !== null)
        device[field] = shared(`o${field}\n${JSON.stringify(value)}`, value);
    }
  }
}
