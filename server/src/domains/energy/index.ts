/** The energy domain: building meters reporting their import register and power. */
import type { EnergyTelemetry } from '../../contract/index.js';
import type { EnergyState } from './energy-state.js';
import type { PilotDomainModule } from '../domain-module.js';
import { EnergyRules } from './energy-alert-rules.js';
import { energyExperiments } from './energy-experiments.js';
import { energyGroups, energyLive } from './energy-live.js';
import { energyMetrics } from './energy-normalise.js';

export const energyModule: PilotDomainModule<EnergyState> & { domain: 'energy' } = {
  domain: 'energy',
  normalise: (_device, payload) => energyMetrics(payload as EnergyTelemetry),
  live: energyLive,
  groups: energyGroups,
  alerts: {
    rules: (ctx, { baselineKw }) => {
      const baseline = baselineKw ?? (() => null);
      return new EnergyRules(ctx, (hour) => baseline(ctx.device.id, hour));
    },
    zerosAreNotStuck: false,
  },
  experiments: energyExperiments,
};
