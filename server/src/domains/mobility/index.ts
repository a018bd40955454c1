/** The mobility domain: counters of passages by travel class and direction, per reporting interval. */
import type { MobilityTelemetry } from '../../contract/index.js';
import type { MobilityState } from './mobility-state.js';
import type { PilotDomainModule } from '../domain-module.js';
import { MobilityRules } from './mobility-alert-rules.js';
import { mobilityExperiments } from './mobility-experiments.js';
import { mobilityGroups, mobilityLive } from './mobility-live.js';
import { mobilityMetrics } from './mobility-normalise.js';

export const mobilityModule: PilotDomainModule<MobilityState> & { domain: 'mobility' } = {
  domain: 'mobility',
  normalise: (_device, payload) => mobilityMetrics(payload as MobilityTelemetry),
  live: mobilityLive,
  groups: mobilityGroups,
  // A counter reporting nothing has its own rule (zeros in daytime); identical zeros are not "stuck".
  alerts: { rules: (ctx) => new MobilityRules(ctx), zerosAreNotStuck: true },
  experiments: mobilityExperiments,
};
