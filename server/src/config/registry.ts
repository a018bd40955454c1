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
    this.devices = new Map(portfolio.devices.map((d) => [d.id, d]));
    this.sites = new Map(portfolio.sites.map((s) => [s.id, s]));
    this.pilots = new Map(portfolio.pilots.map((p) => [p.id, p]));
  }

  device(id: string): DeviceConfig | undefined {
    return this.devices.get(id);
  }

  /** The arm of a device's site in the first experiment of its pilot. */
  arm(device: DeviceConfig): Arm {
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
