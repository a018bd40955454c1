/** The normalised reading that flows through the in-process bus to every consumer. */
import type { Domain } from './topics.js';
import type { DeviceState } from './payloads.js';

export interface Reading {
  device: string;
  domain: Domain;
  /** Site at write time; queries resolve pilot and arm through the registry instead. */
  site: string;
  /** Epoch milliseconds of the measurement. */
  ts: number;
  /** The device's counter where it sends one (gap detection); undefined otherwise. */
  seq: number | undefined;
  /** One value per metric name of the domain (see METRICS). */
  metrics: Record<string, number>;
  simulated: boolean;
  receivedAt: number;
}

export interface DeviceStatusChange {
  device: string;
  domain: Domain;
  state: DeviceState;
  ts: number;
  reason?: string;
}

export interface DeviceEvent {
  device: string;
  domain: Domain;
  type: string;
  ts: number;
  detail?: unknown;
}
