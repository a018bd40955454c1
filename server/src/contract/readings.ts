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
  /** The device's counter, null when the device sends none (then no gaps can be counted). */
  seq: number | null;
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
