/**
 * Which devices a run simulates: the registry's own devices, or per-family sizes
 * (`waste=200,mobility=20,energy=30`) that take the first N registry devices and
 * add synthetic clones spread over the same sites, pilots and sensor types.
 */
import { stringify } from 'yaml';
import { DOMAINS, type Domain } from '../../server/src/contract/index.js';
import type { Registry } from '../../server/src/config/registry.js';
import type { DeviceConfig, Portfolio } from '../../server/src/config/portfolio-schema.js';

export type FleetSizes = Partial<Record<Domain, number>>;

export class FleetSpecError extends Error {}

/** Parses `--fleet`: `portfolio` (the registry's devices) or `family=count,…`; families left out keep their registry devices. */
export function parseFleet(text: string): FleetSizes | undefined {
  if (text === 'portfolio' || text.trim() === '') return undefined;
  const sizes: FleetSizes = {};
  for (const part of text.split(',')) {
    const [name = '', value] = part.split('=').map((s) => s.trim());
    if (!(DOMAINS as readonly string[]).includes(name)) {
      throw new FleetSpecError(`unknown device family "${name}" in --fleet (use ${DOMAINS.join(', ')})`);
    }
    const count = Number(value);
    if (value === undefined || value === '' || !Number.isInteger(count) || count < 0 || count > 1_000_000) {
      throw new FleetSpecError(`--fleet ${name} must be a whole number 0..1000000, got "${value ?? ''}"`);
    }
    sizes[name as Domain] = count;
  }
  return sizes;
}

const PREFIX: Record<Domain, string> = { waste: 'bin', mobility: 'counter', energy: 'meter', weather: 'wx' };

export function fleetDevices(registry: Registry, sizes?: FleetSizes): DeviceConfig[] {
  const out: DeviceConfig[] = [];
  for (const domain of DOMAINS) {
    const own = registry.portfolio.devices.filter((d) => d.domain === domain);
    const want = sizes?.[domain] ?? own.length;
    const kept = own.slice(0, want);
    out.push(...kept);
    if (want > own.length && own.length === 0) {
      throw new FleetSpecError(
        `--fleet ${domain}=${want}: the portfolio has no ${domain} device to model synthetic ones on`,
      );
    }
    for (let k = 0; k < want - kept.length; k++) {
      const template = own[k % own.length] as DeviceConfig;
      out.push({ ...template, id: `sim-${PREFIX[domain]}-${String(k + 1).padStart(6, '0')}` });
    }
  }
  return out;
}

/** The portfolio with the synthetic devices added, for a server that must know them (`--write-portfolio`). */
export function expandedPortfolio(registry: Registry, sizes?: FleetSizes): Portfolio {
  return { ...registry.portfolio, devices: fleetDevices(registry, sizes) };
}

/**
 * The portfolio as YAML a server can load. The registry lets devices share equal field values (one
 * `calibration` object for many bins), which the YAML writer would otherwise turn into anchors and
 * aliases: thousands of aliases, which the reader refuses as a resource-exhaustion attack.
 */
export function portfolioYaml(portfolio: Portfolio): string {
  return stringify(portfolio, { aliasDuplicateObjects: false });
}
