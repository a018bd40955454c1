/** The registry as /api/portfolio serves it: names, coordinates and device settings for the views. */
import type { Domain } from './contract.js';

export interface Text {
  en: string;
  ka: string;
}
export interface SiteInfo {
  id: string;
  name: Text;
  lat: number;
  lon: number;
}
export interface PilotInfo {
  id: string;
  domain: Domain;
  name: Text;
  experiments: { id: string; question: Text; intervention_sites: string[]; control_sites: string[] }[];
}
export interface DeviceInfo {
  id: string;
  domain: Domain;
  site: string;
  /** Null for a weather station, which serves every pilot. */
  pilot: string | null;
  reporting_interval_s: number;
  building_name?: Text;
  directions?: { in: string; out: string };
  classes?: string[];
  [key: string]: unknown;
}
export interface PortfolioData {
  city: string;
  timezone: string;
  sites: SiteInfo[];
  pilots: PilotInfo[];
  /** The city's weather station, null when the portfolio has none. */
  weather_station: string | null;
  devices: DeviceInfo[];
}

export class Portfolio {
  data = $state.raw<PortfolioData | undefined>(undefined);
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
      const response = await fetch('/api/portfolio');
      this.onAnswer(response);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.data = (await response.json()) as PortfolioData;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** intervention, control or none, from the pilot's first experiment. */
  arm(device: DeviceInfo): 'intervention' | 'control' | 'none' {
    const experiment = this.data?.pilots.find((p) => p.id === device.pilot)?.experiments[0];
    if (experiment?.intervention_sites.includes(device.site)) return 'intervention';
    if (experiment?.control_sites.includes(device.site)) return 'control';
    return 'none';
  }
}
