/** `GET /api/portfolio`: what the dashboard needs to draw the city (sites, pilots, devices). */
import { Type, type Static } from '@sinclair/typebox';
import type { DeviceConfig, Pilot } from '../../config/portfolio-schema.js';
import { Text } from './common.js';

/** Published as a string; typed as the values the server sends. */
export const PilotDomainText = Type.Unsafe<Pilot['domain']>(Type.String());

export const PortfolioSite = Type.Object({
  id: Type.String(),
  name: Text,
  lat: Type.Number(),
  lon: Type.Number(),
});
export type PortfolioSite = Static<typeof PortfolioSite>;

export const PortfolioPilot = Type.Object({
  id: Type.String(),
  domain: PilotDomainText,
  name: Text,
  experiments: Type.Array(
    Type.Object({
      id: Type.String(),
      question: Text,
      intervention_sites: Type.Array(Type.String()),
      control_sites: Type.Array(Type.String()),
    }),
  ),
});
export type PortfolioPilot = Static<typeof PortfolioPilot>;

/** The registry entry as config/portfolio.yaml has it; published as an open object so new fields need no schema change. */
export type PortfolioDevice = DeviceConfig;

export const PortfolioResponse = Type.Object({
  city: Type.String(),
  timezone: Type.String(),
  sites: Type.Array(PortfolioSite),
  pilots: Type.Array(PortfolioPilot),
  weather_station: Type.Union([Type.String(), Type.Null()], {
    description: "the city's weather station (its live entity gives the outdoor temperature)",
  }),
  devices: Type.Array(Type.Unsafe<PortfolioDevice>(Type.Record(Type.String(), Type.Unknown())), {
    description: 'the registry entry of each device (id, domain, site, pilot, reporting_interval_s, …)',
  }),
});
export type PortfolioResponse = Static<typeof PortfolioResponse>;
