/**
 * What the generic code needs to know of a domain, in one place: the ingest's normalisation, the
 * live engine's per-device state and group indicators, the alert rules, and the experiments' KPIs,
 * day tables and effect methods. Each domain's folder exports one DomainModule; registry.ts maps
 * domain → module, and the engine, alerts, ingest and experiments look the module up there instead
 * of branching on the domain's name. A station serving the city (weather) has no groups and no
 * experiments of its own.
 */
import type {
  AggregateEntity,
  DeviceEntity,
  DeviceEvent,
  Domain,
  Reading,
  Rejection,
} from '../contract/index.js';
import type { DeviceConfig, PILOT_DOMAINS } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import type { LocalCalendar } from '../calendar/city-calendar.js';
import type { TelemetryStore } from '../store/port.js';
import type { DeviceRuleSet, RuleContext } from '../alerts/rules/device-rules.js';
import type { DeviceTracker } from '../live/device-tracker.js';
import type { GroupTally } from '../live/group-tally.js';
import type { PilotTrends } from '../live/pilot-trend.js';
import type { Effect, EffectsInput, EffectsReport } from '../experiments/effects.js';
import type { AnalysisWindow, DomainDays, ExperimentRef } from '../experiments/experiment-data.js';
import type { KpiSpec } from '../experiments/kpi-catalog.js';
import type { DomainAdapter } from '../experiments/rollup/domain-adapters.js';
import type { AnalysisSettings } from '../experiments/settings.js';
import type { SiteTemperatures } from './weather/site-temperatures.js';

/** The domains that have pilots and experiments (a weather station belongs to none). */
export type PilotDomain = (typeof PILOT_DOMAINS)[number];

/** A payload as stored metrics, or why it cannot be stored. */
export type Metrics = { ok: true; metrics: Record<string, number> } | ({ ok: false } & Rejection);

/** Read access to one domain's per-device state (restore and baselines write into the objects). */
export interface DeviceStates<S> {
  get(device: string): S | undefined;
}

/** What a domain's restore from the store reads, and the states it writes into. */
export interface FromStore<S> {
  store: TelemetryStore;
  /** The domain's devices; none when its fleet is too big to restore (engine-restore.ts). */
  devices: readonly DeviceConfig[];
  states: DeviceStates<S>;
  now: number;
  timeZone: string;
}

/** The live engine's per-device hooks. `S` is the domain's rolling state; none for a station. */
export interface LiveDevice<S = unknown> {
  newState(now: number, timeZone: string): S;
  /**
   * Feeds a reading of the device's own domain into its state. Returns the passages to add to the
   * pilot's sparkline (counters), else undefined.
   */
  onReading(state: S, reading: Reading, timeZone: string): number | undefined;
  /** An event of the device (a bin's collection); true when it changed the device's entity. */
  onEvent?(state: S, event: DeviceEvent): boolean;
  /**
   * The device entity with the domain's own fields added; absent when it has none. One literal per
   * shape (see indicator-engine.ts): return a new object, not the given one with a field added.
   */
  entity?(entity: DeviceEntity, state: S): DeviceEntity;
  /**
   * At start-up: the state the stream would have built had the server been running, from the store
   * (`lastSeen`: each device's newest reading there). Returns the devices whose own entity shows it.
   */
  restore?(input: FromStore<S>, lastSeen: ReadonlyMap<string, number>): Promise<Iterable<string>>;
  /** Every hour (and after restore): the baselines the group indicators compare with. */
  refreshBaselines?(input: FromStore<S>): Promise<void>;
}

/** What a site's or pilot's aggregate is made of. */
export interface GroupInput<S> {
  base: Omit<AggregateEntity, 'domain' | 'indicators'>;
  devices: readonly DeviceConfig[];
  tally: GroupTally;
  states: DeviceStates<S>;
  tracker: DeviceTracker;
  now: number;
  timeZone: string;
}

/** The live engine's site and pilot hooks (pilot domains only). */
export interface LiveGroups<S = unknown> {
  /** The group tally keeps a fill sum over its devices' `fill` values (the bins' running totals). */
  tallyFill: boolean;
  /** Its indicators move with the clock's hour (today's counts, hourly baselines), not only with readings. */
  hourly: boolean;
  aggregate(input: GroupInput<S>): AggregateEntity;
  /** The pilot's headline value for its sparkline, now. */
  headline(entity: AggregateEntity, trends: PilotTrends, now: number): number | null;
  /** The sparkline from the store: the headline per bucket of [from, to), and whether it counts passages. */
  trend: {
    counter: boolean;
    restore(
      store: TelemetryStore,
      devices: readonly DeviceConfig[],
      range: { from: number; to: number; step: number },
    ): Promise<(number | null)[]>;
  };
}

export interface DomainAlerts {
  /** The domain's rules for one device, beside the rules every device has. */
  rules(
    ctx: RuleContext,
    options: { baselineKw?: (device: string, hourOfDay: number) => number | null },
  ): DeviceRuleSet;
  /** Readings of only zeros are the domain's own rule's business (a counter's), not a stuck sensor. */
  zerosAreNotStuck: boolean;
}

/** What one analysis of an experiment adds beyond the difference-in-differences. */
export interface DomainAnalysis {
  /** Reported with the effects (energy: where the outdoor temperatures came from). */
  temperature?: EffectsReport['temperature'];
  /** More estimates of a KPI with per-day rows, given the DiD ones (`made`, which it may annotate). */
  alongside?(kpi: string, spec: KpiSpec, data: DomainDays, made: Effect[]): Effect[];
  /**
   * Estimates by the domain's own primary method (energy: Option C and the comparison group);
   * undefined when it does not apply to the KPI, else the effects and, when none, why.
   */
  own?(kpi: string, spec: KpiSpec): { effects: Effect[]; reason: string } | undefined;
}

export interface DomainExperiments {
  /** The KPIs an experiment of this domain can name. */
  kpis: Record<string, KpiSpec>;
  /** The per-device daily tables of the domain's `devices` over [from, to), from raw readings. */
  days(
    store: TelemetryStore,
    devices: readonly DeviceConfig[],
    calendar: LocalCalendar,
    range: { from: number; to: number },
    settings: AnalysisSettings,
  ): Promise<DomainDays>;
  /** The same tables from the daily rollups (experiments/rollup/). */
  rollup: DomainAdapter;
  /** Devices of other domains whose readings change an analysis (energy: the sites' weather stations). */
  inputsFrom?(registry: Registry, ref: ExperimentRef): string[];
  /** Loaded once per analysis, after the day tables. */
  analysis?(
    input: EffectsInput,
    ref: ExperimentRef,
    window: AnalysisWindow,
    data: DomainDays,
  ): Promise<DomainAnalysis>;
}

/**
 * Daily values a domain's readings give other domains' analyses, per site (weather: each site's
 * daily mean outdoor temperature, from its station's days, which the energy models normalise with).
 */
export interface DailyInputs {
  /** The devices whose readings the values of these sites come from. */
  devicesFor(registry: Registry, sites: readonly string[]): string[];
  load(
    store: TelemetryStore,
    registry: Registry,
    calendar: LocalCalendar,
    sites: readonly string[],
    window: AnalysisWindow,
    minCoverage: number,
  ): Promise<SiteTemperatures>;
}

export interface DomainModule<S = unknown> {
  domain: Domain;
  /** The ingest's step after validation: a payload of the contract as the metrics stored. */
  normalise(device: DeviceConfig, payload: unknown): Metrics;
  live: LiveDevice<S> | null;
  /** Absent for a device that serves every pilot (no sites or pilots of its own). */
  groups?: LiveGroups<S>;
  alerts: DomainAlerts;
  experiments?: DomainExperiments;
  dailyInputs?: DailyInputs;
}

/** A domain with pilots: groups and experiments are required. */
export interface PilotDomainModule<S = unknown> extends DomainModule<S> {
  domain: PilotDomain;
  live: LiveDevice<S>;
  groups: LiveGroups<S>;
  experiments: DomainExperiments;
}
