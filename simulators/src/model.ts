/** What every device-family model shares: its context and the shape of one step. */
import type { Arm } from '../../server/src/config/registry.js';
import type { DeviceConfig, Experiment, Site } from '../../server/src/config/portfolio-schema.js';
import type { Truth } from './truth.js';

export interface ModelContext {
  seed: number;
  device: DeviceConfig;
  site: Site | undefined;
  arm: Arm;
  /** The first experiment of the device's pilot, as the registry resolves arms. */
  experiment: Experiment | undefined;
  /** Epoch ms of the experiment start (local midnight), +Infinity without an experiment. */
  startMs: number;
  /** The experiment's planted settings: portfolio `simulation` overlaid by the scenario. */
  simulation: Record<string, unknown>;
  truth: Truth | undefined;
}

export interface ModelEvent {
  at: number;
  type: string;
  detail?: Record<string, number | string>;
}

export interface StepResult {
  /** Metric fields of the telemetry payload (ts, seq and src are added by the fleet). */
  fields: Record<string, unknown>;
  events: ModelEvent[];
}

export interface DeviceModel {
  /** Advances the model to `ms` (the reading's time, the interval end) and reads the sensor. */
  step(ms: number): StepResult;
  /** Energy meters only: the register starts again from zero (a fault). */
  resetRegister?(): void;
  /** Continue from a device's last stored values (a demo restarted on its own history). */
  resume?(latest: Readonly<Record<string, number>>): void;
}

/** True once the planted intervention applies to this device. */
export function treated(ctx: ModelContext, ms: number): boolean {
  return ctx.arm === 'intervention' && ms >= ctx.startMs;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
