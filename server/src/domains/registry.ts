/**
 * The table of domains: each domain's module (its folder's index.ts). The ingest, the live engine,
 * the alerts and the experiments look a domain up here; adding a domain is a folder and a row.
 */
import { PILOT_DOMAINS } from '../config/portfolio-schema.js';
import type { Domain } from '../contract/index.js';
import type { DomainModule, PilotDomain, PilotDomainModule } from './domain-module.js';
import { energyModule } from './energy/index.js';
import { mobilityModule } from './mobility/index.js';
import { wasteModule } from './waste/index.js';
import { weatherModule } from './weather/index.js';

const PILOT_MODULES: { [D in PilotDomain]: PilotDomainModule & { domain: D } } = {
  waste: wasteModule,
  mobility: mobilityModule,
  energy: energyModule,
};

const MODULES: { [D in Domain]: DomainModule & { domain: D } } = { ...PILOT_MODULES, weather: weatherModule };

export function domainModule(domain: Domain): DomainModule {
  return MODULES[domain];
}

/** Every module, pilot domains first (in PILOT_DOMAINS' order). */
export function domainModules(): readonly DomainModule[] {
  return Object.values(MODULES);
}

export function pilotModule(domain: PilotDomain): PilotDomainModule {
  return PILOT_MODULES[domain];
}

export function isPilotDomain(domain: string): domain is PilotDomain {
  return (PILOT_DOMAINS as readonly string[]).includes(domain);
}
