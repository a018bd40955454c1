/** The waste domain: bins reporting their fill (or an ultrasonic distance), collected on rounds. */
import type { WasteTelemetry } from '../../contract/index.js';
import type { WasteDevice } from '../../config/portfolio-schema.js';
import type { WasteState } from './waste-state.js';
import type { PilotDomainModule } from '../domain-module.js';
import { WasteRules } from './waste-alert-rules.js';
import { wasteExperiments } from './waste-experiments.js';
import { wasteGroups, wasteLive } from './waste-live.js';
import { wasteMetrics } from './waste-normalise.js';

export const wasteModule: PilotDomainModule<WasteState> & { domain: 'waste' } = {
  domain: 'waste',
  normalise: (device, payload) => wasteMetrics(device as WasteDevice, payload as WasteTelemetry),
  live: wasteLive,
  groups: wasteGroups,
  alerts: { rules: (ctx) => new WasteRules(ctx), zerosAreNotStuck: false },
  experiments: wasteExperiments,
};
