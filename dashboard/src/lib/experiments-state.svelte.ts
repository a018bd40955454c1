/** Experiments with their effects, loaded once per visit of the Experiments or Portfolio view. */
import { fetchEffects, fetchExperiments } from './api.js';
import type { EffectsResponse, ExperimentSummary } from './api-types.js';

export interface ExperimentEvidence {
  experiment: ExperimentSummary;
  effects: EffectsResponse | undefined;
  error: string | undefined;
}

export class ExperimentsState {
  items = $state.raw<ExperimentEvidence[]>([]);
  loading = $state(false);
  error = $state<string | undefined>(undefined);

  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    try {
      const list = await fetchExperiments();
      this.items = list.map((experiment) => ({ experiment, effects: undefined, error: undefined }));
      // Effects one by one: each is a bootstrap on the server, and the first card can show meanwhile.
      for (const [i, experiment] of list.entries()) {
        let next: ExperimentEvidence;
        try {
          next = { experiment, effects: await fetchEffects(experiment.id), error: undefined };
        } catch (error) {
          next = {
            experiment,
            effects: undefined,
            error: error instanceof Error ? error.message : String(error),
          };
        }
        this.items = this.items.map((item, k) => (k === i ? next : item));
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }
}
