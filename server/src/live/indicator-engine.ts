/**
 * The live indicator engine: per device, per site and per pilot, fed by the bus
 * (never by polling the store). Readings only mark entities dirty; the hub calls
 * takeChanges() on its flush timer, so aggregates are recomputed at most once per
 * frame however fast readings arrive.
 */
import {
  deviceKey,
  pilotKey,
  siteKey,
  type AggregateEntity,
  type DeviceEntity,
  type DeviceEvent,
  type DeviceHealth,
  type Domain,
  type LiveEntity,
  type Reading,
  type TrendPoint,
} from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import {
  energyReading,
  mobilityReading,
  newEnergy,
  newMobility,
  newWaste,
  wasteReading,
  type EnergyState,
  type MobilityState,
  type WasteState,
} from './device-accumulators.js';
import { NO_VALUES, type DeviceTracker } from './device-tracker.js';
import {
  energyIndicators,
  mobilityIndicators,
  wasteIndicators,
  type DeviceStates,
} from './group-indicators.js';
import { count, emptyTally, resetTally, type GroupTally } from './group-tally.js';
import { localHourStart } from '../calendar/city-calendar.js';

const DEVICE_PREFIX = deviceKey('');

export interface EngineOptions {
  /** Least time between two sparkline points of a pilot. */
  trendGapMs?: number;
  trendPoints?: number;
  /** How often device health (which changes with silence alone) is re-judged. */
  healthEveryMs?: number;
}

interface Group {
  key: string;
  scope: 'site' | 'pilot';
  id: string;
  domain: Domain;
  pilot: string;
  site?: string;
  devices: DeviceConfig[];
  /** Totals over the devices' current entities (online, lastSeen, fill). */
  tally: GroupTally;
}

/**
 * Everything the engine keeps for one device, in one object (one map entry) rather than spread
 * over a map per concern: at 50,000 devices each per-device map costs about 2 MB of hash table.
 */
interface DeviceSlot {
  readonly config: DeviceConfig;
  /** Its site group and its pilot group: one array shared by the devices of a site. */
  readonly groups: readonly Group[];
  /** The domain's rolling state (WasteState, MobilityState or EnergyState, by config.domain); none for a station. */
  readonly state: WasteState | MobilityState | EnergyState | null;
  /** The health in the current entity: a change is a change of the entity. */
  health: DeviceHealth;
  /** The device's entity as of the last takeChanges(). */
  entity: DeviceEntity;
}

export class IndicatorEngine {
  readonly timeZone: string;
  readonly waste: DeviceStates<WasteState> = this.states('waste');
  readonly mobility: DeviceStates<MobilityState> = this.states('mobility');
  readonly energy: DeviceStates<EnergyState> = this.states('energy');
  private readonly devices = new Map<string, DeviceSlot>();
  private readonly groups = new Map<string, Group>();
  /** Group entities as of the last takeChanges() (device entities live in their slots). */
  private readonly current = new Map<string, LiveEntity>();
  private readonly dirtyDevices = new Set<DeviceSlot>();
  private readonly dirtyGroups = new Set<Group>();
  private readonly trends = new Map<string, TrendPoint[]>();
  private lastHealthCheck = 0;
  private hourStart: number;
  private readonly trendGapMs: number;
  private readonly trendPoints: number;
  private readonly healthEveryMs: number;

  constructor(
    private readonly registry: Registry,
    private readonly tracker: DeviceTracker,
    now: number,
    options: EngineOptions = {},
  ) {
    this.timeZone = registry.portfolio.timezone;
    this.trendGapMs = options.trendGapMs ?? 5_000;
    this.trendPoints = options.trendPoints ?? 96;
    this.healthEveryMs = options.healthEveryMs ?? 1_000;
    this.hourStart = localHourStart(now, this.timeZone);
    for (const pilot of registry.pilots.values()) {
      this.addGroup({
        key: pilotKey(pilot.id),
        scope: 'pilot',
        id: pilot.id,
        domain: pilot.domain,
        pilot: pilot.id,
        devices: [],
        tally: emptyTally(),
      });
      this.trends.set(pilot.id, []);
    }
    const groupLists = new Map<string, Group[]>();
    for (const device of registry.devices.values()) {
      if (device.domain === 'weather') {
        // A station serves every pilot: a device entity (the outdoor temperature) without groups.
        this.addSlot(device, [], null, now);
        continue;
      }
      const sk = siteKey(device.site, device.domain);
      const site =
        this.groups.get(sk) ??
        this.addGroup({
          key: sk,
          scope: 'site',
          id: device.site,
          domain: device.domain,
          pilot: device.pilot,
          site: device.site,
          devices: [],
          tally: emptyTally(),
        });
      const pilot = this.groups.get(pilotKey(device.pilot));
      const listKey = `${sk}\n${device.pilot}`;
      let mine = groupLists.get(listKey);
      if (!mine) groupLists.set(listKey, (mine = pilot ? [site, pilot] : [site]));
      for (const group of mine) group.devices.push(device);
      const state =
        device.domain === 'waste'
          ? newWaste()
          : device.domain === 'mobility'
            ? newMobility(now, this.timeZone)
            : newEnergy(now, this.timeZone);
      this.addSlot(device, mine, state, now);
    }
    for (const group of this.groups.values()) this.current.set(group.key, this.groupEntity(group, now));
  }

  private addSlot(device: DeviceConfig, groups: readonly Group[], state: DeviceSlot['state'], now: number) {
    const slot: DeviceSlot = {
      config: device,
      groups,
      state,
      health: 'unknown',
      entity: undefined as unknown as DeviceEntity,
    };
    slot.entity = this.deviceEntity(slot, now, deviceKey(device.id));
    for (const group of groups) count(group.tally, slot.entity, 1);
    this.devices.set(device.id, slot);
  }

  private states<S>(domain: Domain): DeviceStates<S> {
    return {
      get: (device) => {
        const slot = this.devices.get(device);
        return slot?.config.domain === domain ? (slot.state as S) : undefined;
      },
    };
  }

  private addGroup(group: Group): Group {
    this.groups.set(group.key, group);
    return group;
  }

  /** Call after the device tracker has seen the reading. */
  onReading(reading: Reading): void {
    const slot = this.devices.get(reading.device);
    if (!slot) return;
    // The registry's domain, as the per-device state was made for it.
    const domain = slot.config.domain;
    if (reading.domain === domain) {
      if (domain === 'waste') wasteReading(slot.state as WasteState, reading.ts, reading.metrics.fill);
      else if (domain === 'mobility') mobilityReading(slot.state as MobilityState, reading, this.timeZone);
      else if (domain === 'energy')
        energyReading(slot.state as EnergyState, reading.ts, reading.metrics.energy_kwh, this.timeZone);
    }
    this.markDirty(slot);
  }

  onStatus(device: string): void {
    const slot = this.devices.get(device);
    if (slot) this.markDirty(slot);
  }

  onEvent(event: DeviceEvent): void {
    const slot = this.devices.get(event.device);
    if (slot?.config.domain === 'waste' && event.type === 'collection') {
      const state = slot.state as WasteState;
      state.lastCollection = Math.max(state.lastCollection ?? 0, event.ts);
      this.markDirty(slot);
    }
  }

  /**
   * Marks every site and pilot dirty, e.g. after the baselines were refreshed from the store.
   * Device entities do not show baselines: re-sending all of them (50,000 at a time) would be waste.
   */
  touchGroups(): void {
    for (const group of this.groups.values()) this.dirtyGroups.add(group);
  }

  /** Marks these devices (and their groups) dirty, e.g. after their state was restored from the store. */
  touch(devices: Iterable<string>): void {
    for (const id of devices) {
      const slot = this.devices.get(id);
      if (slot) this.markDirty(slot);
    }
  }

  private markDirty(slot: DeviceSlot): void {
    this.dirtyDevices.add(slot);
    for (const group of slot.groups) this.dirtyGroups.add(group);
  }

  /** The entities that changed since the last call, recomputed once each. */
  takeChanges(now: number): LiveEntity[] {
    const healthCheck = now - this.lastHealthCheck >= this.healthEveryMs;
    if (healthCheck) {
      this.lastHealthCheck = now;
      for (const slot of this.devices.values()) {
        if (slot.health !== this.tracker.health(slot.config.id, now)) this.markDirty(slot);
      }
    }
    const hourStart = localHourStart(now, this.timeZone);
    if (hourStart !== this.hourStart) {
      // The hour's counts, today's baseline and the kW baseline all move on the hour.
      this.hourStart = hourStart;
      for (const group of this.groups.values()) if (group.domain !== 'waste') this.dirtyGroups.add(group);
    }
    const changes: LiveEntity[] = [];
    for (const slot of this.dirtyDevices) {
      const before = slot.entity;
      slot.entity = this.deviceEntity(slot, now, before.key);
      changes.push(slot.entity);
      for (const group of slot.groups) {
        count(group.tally, before, -1);
        count(group.tally, slot.entity, 1);
      }
    }
    // Once a health period, count every group afresh: fill sums then carry no rounding drift.
    if (healthCheck) this.recount();
    for (const group of this.dirtyGroups) {
      const entity = this.groupEntity(group, now);
      this.current.set(entity.key, entity);
      changes.push(entity);
    }
    this.dirtyDevices.clear();
    this.dirtyGroups.clear();
    return changes;
  }

  private recount(): void {
    for (const group of this.groups.values()) resetTally(group.tally);
    for (const slot of this.devices.values())
      for (const group of slot.groups) count(group.tally, slot.entity, 1);
  }

  /** Every entity as of the last takeChanges(): the devices', then the sites' and pilots'. */
  *entities(): IterableIterator<LiveEntity> {
    for (const slot of this.devices.values()) yield slot.entity;
    yield* this.current.values();
  }

  get(key: string): LiveEntity | undefined {
    const group = this.current.get(key);
    if (group) return group;
    const slot = this.devices.get(key.slice(DEVICE_PREFIX.length));
    return slot && slot.entity.key === key ? slot.entity : undefined;
  }

  /**
   * The device's entity now. Its `values` is the tracker's object, which the tracker replaces
   * rather than changes (an entity is never modified once made), and its key is made once.
   */
  private deviceEntity(slot: DeviceSlot, now: number, key: string): DeviceEntity {
    const device = slot.config;
    const live = this.tracker.get(device.id);
    const health = this.tracker.health(device.id, now);
    slot.health = health;
    const lastSeen = live?.lastSeen ?? null;
    const values = live?.values ?? NO_VALUES;
    const { id, domain, site } = device;
    const pilot = device.pilot ?? null;
    // One literal per shape: a property added afterwards would cost each entity a property array.
    return domain === 'waste'
      ? {
          key,
          scope: 'device',
          id,
          domain,
          pilot,
          site,
          lastSeen,
          health,
          values,
          lastCollection: (slot.state as WasteState).lastCollection,
        }
      : { key, scope: 'device', id, domain, pilot, site, lastSeen, health, values };
  }

  /** A site's or pilot's entity; online and lastSeen as its devices' entities say (see GroupTally). */
  private groupEntity(group: Group, now: number): AggregateEntity {
    const { online, lastSeen } = group.tally;
    const base = {
      key: group.key,
      scope: group.scope,
      id: group.id,
      pilot: group.pilot,
      ...(group.site !== undefined ? { site: group.site } : {}),
      devices: group.devices.length,
      online,
      lastSeen,
    };
    let entity: AggregateEntity;
    const { devices } = group;
    if (group.domain === 'waste')
      entity = { ...base, domain: 'waste', indicators: wasteIndicators(devices.length, group.tally) };
    else if (group.domain === 'mobility')
      entity = {
        ...base,
        domain: 'mobility',
        indicators: mobilityIndicators(devices, this.mobility, now, this.timeZone),
      };
    else
      entity = {
        ...base,
        domain: 'energy',
        indicators: energyIndicators(devices, this.energy, this.tracker, now, this.timeZone),
      };
    if (group.scope === 'pilot') entity.trend = this.sampleTrend(group.pilot, entity, now);
    return entity;
  }

  /** Headline value of a pilot: mean fill, flow of the latest intervals, or kW now. */
  private headline(entity: AggregateEntity, group: Group): number | null {
    if (entity.domain === 'waste') return entity.indicators.meanFill;
    if (entity.domain === 'energy') return entity.indicators.kw;
    let total = 0;
    for (const d of group.devices) total += this.mobility.get(d.id)?.latestTotal ?? 0;
    return total;
  }

  private sampleTrend(pilot: string, entity: AggregateEntity, now: number): TrendPoint[] {
    const trend = this.trends.get(pilot) ?? [];
    const group = this.groups.get(pilotKey(pilot));
    const value = group ? this.headline(entity, group) : null;
    const last = trend[trend.length - 1];
    if (value !== null && (!last || now - last.t >= this.trendGapMs)) {
      trend.push({ t: now, v: value });
      if (trend.length > this.trendPoints) trend.splice(0, trend.length - this.trendPoints);
      this.trends.set(pilot, trend);
    }
    return trend.slice();
  }
}
