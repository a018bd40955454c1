/** The registry as /api/portfolio serves it: names, coordinates and device settings for the views. */
import { fetchPortfolio } from './api.js';
import type { PortfolioDevice, PortfolioResponse } from './api-types.js';

export class Portfolio {
  data = $state.raw<PortfolioResponse | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  sites = $derived(new Map((this.data?.sites ?? []).map((s) => [s.id, s])));
  devices = $derived(new Map((this.data?.devices ?? []).map((d) => [d.id, d])));

  /** Forgets everything (signed out). */
  reset(): void {
    this.data = undefined;
    this.error = undefined;
  }

  /** Told of each answer, so a saved copy shown offline can say when it was saved. */
  onAnswer: (response: Response) => void = () => undefined;

  async load(): Promise<void> {
    this.error = undefined;
    try {
      this.data = await fetchPortfolio({ onResponse: (response) => this.onAnswer(response) });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** intervention, control or none, from the pilot's first experiment. */
  arm(device: PortfolioDevice): 'intervention' | 'control' | 'none' {
    const experiment = this.data?.pilots.find((p) => p.id === device.pilot)?.experiments[0];
    if (experiment?.intervention_sites.includes(device.site)) return 'intervention';
    if (experiment?.control_sites.includes(device.site)) return 'control';
    return 'none';
  }
}
