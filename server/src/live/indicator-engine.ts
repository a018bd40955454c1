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
} from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import type { EnergyState } from '../domains/energy/energy-state.js';
import type { MobilityState } from '../domains/mobility/mobility-state.js';
import type { WasteState } from '../domains/waste/waste-state.js';
import { NO_VALUES, type DeviceTracker } from './device-tracker.js';
import type { DeviceStates, LiveGroups } from '../domains/domain-module.js';
import { domainModule } from '../domains/registry.js';
import { count, emptyTally, resetTally, type GroupTally } from './group-tally.js';
import { PilotTrends } from './pilot-trend.js';
import { localHourStart } from '../calendar/city-calendar.js';

const DEVICE_PREFIX = deviceKey('');

export interface EngineOptions {
  /** A pilot's sparkline: one point per this many ms (default 15 min), this many points (default a day's). */
  trendStepMs?: number;
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
  /** The domain module's group hooks, and read access to its devices' states. */
  live: LiveGroups;
  states: DeviceStates<unknown>;
}

/**
 * Everything the engine keeps for one device, in one object (one map entry) rather than spread
 * over a map per concern: at 50,000 devices each per-device map costs about 2 MB of hash table.
 */
interface DeviceSlot {
  readonly config: DeviceConfig;
  /** Its site group and its pilot group: one array shared by the devices of a site. */
  readonly groups: readonly Group[];
  /** The domain's rolling state (its module's LiveDevice state, by config.domain); none for a station. */
  readonly state: unknown;
  /** The health in the current entity: a change is a change of the entity. */
  health: DeviceHealth;
  /** The device's entity as of the last takeChanges(). */
  entity: DeviceEntity;
}

export class IndicatorEngine {
  readonly timeZone: string;
  readonly waste: DeviceStates<WasteState> = this.statesOf('waste');
  readonly mobility: DeviceStates<MobilityState> = this.statesOf('mobility');
  readonly energy: DeviceStates<EnergyState> = this.statesOf('energy');
  private readonly devices = new Map<string, DeviceSlot>();
  private readonly groups = new Map<string, Group>();
  /** Group entities as of the last takeChanges() (device entities live in their slots). */
  private readonly current = new Map<string, LiveEntity>();
  private readonly dirtyDevices = new Set<DeviceSlot>();
  private readonly dirtyGroups = new Set<Group>();
  readonly trends: PilotTrends;
  private lastHealthCheck = 0;
  private hourStart: number;
  private readonly healthEveryMs: number;

  constructor(
    private readonly registry: Registry,
    private readonly tracker: DeviceTracker,
    now: number,
    options: EngineOptions = {},
  ) {
    this.timeZone = registry.portfolio.timezone;
    this.trends = new PilotTrends(options.trendStepMs, options.trendPoints);
    this.healthEveryMs = options.healthEveryMs ?? 1_000;
    this.hourStart = localHourStart(now, this.timeZone);
    for (const pilot of registry.pilots.values()) {
      this.addGroup({
        key: pilotKey(pilot.id),
        scope: 'pilot',
        id: pilot.id,
        domain: pilot.domain,
        pilot: pilot.id,
      });
    }
    const groupLists = new Map<string, Group[]>();
    for (const device of registry.devices.values()) {
      const module = domainModule(device.domain);
      if (!module.groups || !module.live || device.pilot === undefined) {
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
        });
      const pilot = this.groups.get(pilotKey(device.pilot));
      const listKey = `${sk}\n${device.pilot}`;
      let mine = groupLists.get(listKey);
      if (!mine) groupLists.set(listKey, (mine = pilot ? [site, pilot] : [site]));
      for (const group of mine) group.devices.push(device);
      this.addSlot(device, mine, module.live.newState(now, this.timeZone), now);
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

  /** Read access to the rolling states of a domain's devices (restore and baselines write into them). */
  statesOf<S>(domain: Domain): DeviceStates<S> {
    return {
      get: (device) => {
        const slot = this.devices.get(device);
        return slot?.config.domain === domain ? (slot.state as S) : undefined;
      },
    };
  }

  private addGroup(fields: Omit<Group, 'devices' | 'tally' | 'live' | 'states'>): Group {
    const live = domainModule(fields.domain).groups;
    if (!live) throw new Error(`a ${fields.domain} device has no sites or pilots`);
    const group: Group = {
      ...fields,
      devices: [],
      tally: emptyTally(live.tallyFill),
      live,
      states: this.statesOf(fields.domain),
    };
    this.groups.set(group.key, group);
    return group;
  }

  /** Call after the device tracker has seen the reading. */
  onReading(reading: Reading): void {
    const slot = this.devices.get(reading.device);
    if (!slot) return;
    // The registry's domain, as the per-device state was made for it.
    const domain = slot.config.domain;
    const live = domainModule(domain).live;
    if (reading.domain === domain && live && slot.state !== null) {
      const passages = live.onReading(slot.state, reading, this.timeZone);
      if (passages !== undefined && slot.config.pilot !== undefined)
        this.trends.count(slot.config.pilot, reading.ts, passages);
    }
    this.markDirty(slot);
  }

  onStatus(device: string): void {
    const slot = this.devices.get(device);
    if (slot) this.markDirty(slot);
  }

  onEvent(event: DeviceEvent): void {
    const slot = this.devices.get(event.device);
    if (!slot || slot.state === null) return;
    if (domainModule(slot.config.domain).live?.onEvent?.(slot.state, event)) this.markDirty(slot);
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
      for (const group of this.groups.values()) if (group.live.hourly) this.dirtyGroups.add(group);
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
    const entity: DeviceEntity = { key, scope: 'device', id, domain, pilot, site, lastSeen, health, values };
    const hooks = domainModule(domain).live;
    return hooks?.entity && slot.state !== null ? hooks.entity(entity, slot.state) : entity;
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
    const entity = group.live.aggregate({
      base,
      devices: group.devices,
      tally: group.tally,
      states: group.states,
      tracker: this.tracker,
      now,
      timeZone: this.timeZone,
    });
    if (group.scope === 'pilot')
      entity.trend = this.trends.sample(group.pilot, group.live.headline(entity, this.trends, now), now);
    return entity;
  }
}
