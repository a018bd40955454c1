/**
 * The simulated fleet: one model and one fault injector per device, stepped in
 * time order. Backfill, dry-run, load and live mode all drive this one class,
 * so every mode publishes the same readings for the same seed.
 */
import type { Registry } from '../../server/src/config/registry.js';
import type { DeviceConfig } from '../../server/src/config/portfolio-schema.js';
import {
  DEFAULT_TOPIC_ROOT,
  buildTopic,
  validateTelemetry,
  type Domain,
} from '../../server/src/contract/index.js';
import { dayOf, dayStart, localDay } from './clock.js';
import { EnergyModel } from './energy-model.js';
import { FaultInjector, type Emitted, type FaultKind, type FaultRates } from './faults.js';
import { fleetDevices, type FleetSizes } from './fleet-devices.js';
import type { DeviceModel, ModelContext } from './model.js';
import { MobilityModel } from './mobility-model.js';
import { EMPTY_SCENARIO, simulationOf, type Scenario } from './scenario.js';
import { Schedule } from './schedule.js';
import type { Truth } from './truth.js';
import { messageFormatter, type MessageFormatter, type Publisher, type SimFormat } from './source-formats.js';
import { WasteModel } from './waste-model.js';
import { WeatherModel } from './weather-model.js';

/** The server rejects timestamps further ahead than this (see server settings). */
const MAX_FUTURE_MS = 5 * 60_000;

export interface FleetOptions {
  registry: Registry;
  seed: number;
  topicRoot?: string;
  sizes?: FleetSizes;
  faults?: FaultRates;
  scenario?: Scenario;
  truth?: Truth;
  /** Wall clock used to predict `ts_in_future` rejections of skewed readings. */
  now?: () => number;
  /** Devices bound to a portfolio source speak its format (source-formats.ts); default native. */
  format?: SimFormat;
}

export interface SimDevice {
  index: number;
  next: number;
  config: DeviceConfig;
  domain: Domain;
  model: DeviceModel;
  injector: FaultInjector;
  seq: number;
  /** Last published ts, so that wall-clock timestamps stay strictly increasing per device. */
  lastTs: number;
  intervalMs: number;
  topics: { telemetry: string; event: string; status: string };
  /** Who publishes the device's messages (itself, or its network server's source identity). */
  publisher: Publisher;
}

export interface OutMessage {
  topic: string;
  /** An object is published as JSON; a string is published as raw bytes (malformed on purpose). */
  payload: Record<string, unknown> | string;
  device: string;
  domain: Domain;
  kind: 'telemetry' | 'event';
  faults: FaultKind[];
  /** The MQTT user it is published as with a device key, when not the device itself (a source identity). */
  as?: string;
}

export interface StepOutput {
  device: SimDevice;
  /** Model time of the reading. */
  at: number;
  messages: OutMessage[];
  /** An offline period starts now and lasts until this model time. */
  offlineUntil?: number;
  /** The device has just come back from an offline period. */
  back?: boolean;
}

function modelFor(ctx: ModelContext, config: DeviceConfig): DeviceModel {
  switch (config.domain) {
    case 'waste':
      return new WasteModel(ctx, config);
    case 'mobility':
      return new MobilityModel(ctx, config);
    case 'energy':
      return new EnergyModel(ctx, config);
    case 'weather':
      return new WeatherModel(ctx);
  }
}

export class Fleet {
  readonly devices: SimDevice[];
  private readonly schedule = new Schedule<SimDevice>();
  private readonly truth: Truth | undefined;
  private readonly now: () => number;
  readonly formatter: MessageFormatter;

  constructor(options: FleetOptions) {
    const { registry, seed } = options;
    this.formatter = messageFormatter(registry, options.format ?? 'native');
    const root = options.topicRoot ?? DEFAULT_TOPIC_ROOT;
    this.truth = options.truth;
    this.now = options.now ?? Date.now;
    this.devices = fleetDevices(registry, options.sizes).map((config, index) => {
      const experiment =
        config.pilot === undefined ? undefined : registry.pilots.get(config.pilot)?.experiments[0];
      const ctx: ModelContext = {
        seed,
        device: config,
        site: registry.sites.get(config.site),
        arm: registry.arm(config),
        experiment,
        startMs: experiment ? dayStart(dayOf(experiment.start)) : Number.POSITIVE_INFINITY,
        simulation: experiment ? simulationOf(experiment, options.scenario ?? EMPTY_SCENARIO) : {},
        truth: options.truth,
      };
      const model = modelFor(ctx, config);
      const report = (kind: FaultKind, at: number, detail?: string) =>
        this.truth?.fault({
          at,
          device: config.id,
          domain: config.domain,
          kind,
          ...(detail ? { detail } : {}),
        });
      return {
        index,
        next: 0,
        config,
        domain: config.domain,
        model,
        injector: new FaultInjector(seed, config.id, config.domain, options.faults ?? {}, report),
        seq: 0,
        lastTs: 0,
        intervalMs: config.reporting_interval_s * 1000,
        topics: {
          telemetry: buildTopic(root, config.domain, config.id, 'telemetry'),
          event: buildTopic(root, config.domain, config.id, 'event'),
          status: buildTopic(root, config.domain, config.id, 'status'),
        },
        publisher: this.formatter.publisher(config.id),
      };
    });
  }

  /** Schedules every device's first reading at the first interval boundary at or after `fromMs`. */
  start(fromMs: number): void {
    for (const device of this.devices) {
      device.next = Math.ceil(fromMs / device.intervalMs) * device.intervalMs;
      this.schedule.push(device);
    }
  }

  /** Devices continue from their last stored values (see DeviceModel.resume). */
  resume(latest: ReadonlyMap<string, Readonly<Record<string, number>>>): void {
    for (const device of this.devices) {
      const values = latest.get(device.config.id);
      if (values) device.model.resume?.(values);
    }
  }

  /** Model time of the next reading (Infinity for an empty fleet). */
  peek(): number {
    return this.schedule.peek()?.next ?? Number.POSITIVE_INFINITY;
  }

  /** Produces the next reading in time order; `ts` overrides the payload time (live and load mode use the wall clock). */
  step(ts?: number): StepOutput {
    const device = this.schedule.pop();
    if (!device) throw new Error('the fleet has no devices');
    const at = device.next;
    device.next += device.intervalMs;
    this.schedule.push(device);
    this.truth?.days.add(localDay(at));

    const offline = device.injector.checkOffline(at);
    const reset = !offline.skip && device.injector.wantsReset();
    if (reset) device.model.resetRegister?.();
    // The model runs even while offline (the bin keeps filling); seq advances so the server sees the gap.
    const result = device.model.step(at);
    device.seq += 1;
    if (offline.skip) {
      if (this.truth) this.truth.published[device.domain].skipped_offline += 1;
      return {
        device,
        at,
        messages: [],
        ...(offline.until !== undefined ? { offlineUntil: offline.until } : {}),
      };
    }
    const stamp = ts === undefined ? at : Math.max(ts, device.lastTs + 1);
    device.lastTs = stamp;
    const payload = { ts: stamp, seq: device.seq, ...result.fields, src: 'sim' };
    const check = validateTelemetry(device.domain, payload);
    if (!check.ok)
      throw new Error(`simulator bug: ${device.config.id} produced ${check.reason}: ${check.detail}`);

    const messages: OutMessage[] = result.events.map((event) => ({
      topic: device.topics.event,
      payload: {
        ts: ts === undefined ? event.at : stamp,
        type: event.type,
        ...(event.detail ? { detail: event.detail } : {}),
        src: 'sim',
      },
      device: device.config.id,
      domain: device.domain,
      kind: 'event',
      faults: [],
    }));
    for (const emitted of device.injector.apply(payload, at, reset ? ['reset'] : [])) {
      messages.push(this.telemetry(device, emitted));
    }
    for (const message of messages) this.count(message);
    return { device, at, messages: this.encode(messages), ...(offline.back ? { back: true } : {}) };
  }

  /** Out-of-order messages still held back when a run ends. */
  flush(): OutMessage[] {
    const messages = this.devices.flatMap((d) => d.injector.flush().map((e) => this.telemetry(d, e)));
    for (const message of messages) this.count(message);
    return this.encode(messages);
  }

  /** After counting (the truth judges the contract payload): each message in its device's format. */
  private encode(messages: OutMessage[]): OutMessage[] {
    return this.formatter.bound === 0 ? messages : messages.flatMap((m) => this.formatter.encode(m));
  }

  private telemetry(device: SimDevice, emitted: Emitted): OutMessage {
    return {
      topic: device.topics.telemetry,
      payload: emitted.payload,
      device: device.config.id,
      domain: device.domain,
      kind: 'telemetry',
      faults: emitted.faults,
    };
  }

  private count(message: OutMessage): void {
    const counts = this.truth?.published[message.domain];
    if (!counts) return;
    if (message.kind === 'event') {
      counts.events += 1;
    } else if (message.faults.length === 0) {
      counts.clean += 1;
      counts.expected_stored += 1;
    } else {
      counts.faulty += 1;
      if (this.expectStored(message)) counts.expected_stored += 1;
    }
  }

  /** Whether the server should keep a faulty message: valid, not a duplicate, ts not too far ahead. */
  private expectStored(message: OutMessage): boolean {
    if (message.faults.includes('duplicate') || typeof message.payload === 'string') return false;
    if (!validateTelemetry(message.domain, message.payload).ok) return false;
    const ts = message.payload.ts;
    return typeof ts === 'number' && ts <= this.now() + MAX_FUTURE_MS;
  }
}
