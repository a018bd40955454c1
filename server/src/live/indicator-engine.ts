/**
 * The live indicator engine: per device, per site and per pilot, fed by the bus
 * (never by polling the store). Readings only mark entities dirty; the hub calls
 * takeChanges() on its flush timer, so aggregates are recomputed at most once per
 * frame however fast readings arrive.
 */
import {
  OVERFLOW_FILL,
  deviceKey,
  pilotKey,
  siteKey,
  type AggregateEntity,
  type ClassCounts,
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
  addCounts,
  emptyCounts,
  energyBaseline,
  energyReading,
  isFull,
  kwhToday,
  mobilityReading,
  newEnergy,
  newMobility,
  newWaste,
  rollMobility,
  wasteReading,
  type EnergyState,
  type MobilityState,
  type WasteState,
} from './device-accumulators.js';
import type { DeviceTracker } from './device-tracker.js';
import { HOUR_MS, localDayStart, localHour, localHourStart } from './zone.js';

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
}

export class IndicatorEngine {
  readonly timeZone: string;
  readonly waste = new Map<string, WasteState>();
  readonly mobility = new Map<string, MobilityState>();
  readonly energy = new Map<string, EnergyState>();
  private readonly groups = new Map<string, Group>();
  private readonly groupsOfDevice = new Map<string, Group[]>();
  private readonly current = new Map<string, LiveEntity>();
  private readonly dirtyDevices = new Set<string>();
  private readonly dirtyGroups = new Set<Group>();
  private readonly health = new Map<string, DeviceHealth>();
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
      });
      this.trends.set(pilot.id, []);
    }
    for (const device of registry.devices.values()) {
      if (device.domain === 'waste') this.waste.set(device.id, newWaste());
      if (device.domain === 'mobility') this.mobility.set(device.id, newMobility(now, this.timeZone));
      if (device.domain === 'energy') this.energy.set(device.id, newEnergy(now, this.timeZone));
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
        });
      const pilot = this.groups.get(pilotKey(device.pilot));
      const mine = pilot ? [site, pilot] : [site];
      for (const group of mine) group.devices.push(device);
      this.groupsOfDevice.set(device.id, mine);
    }
    for (const device of registry.devices.values())
      this.current.set(deviceKey(device.id), this.deviceEntity(device, now));
    for (const group of this.groups.values()) this.current.set(group.key, this.groupEntity(group, now));
  }

  private addGroup(group: Group): Group {
    this.groups.set(group.key, group);
    return group;
  }

  /** Call after the device tracker has seen the reading. */
  onReading(reading: Reading): void {
    const id = reading.device;
    if (!this.groupsOfDevice.has(id)) return;
    if (reading.domain === 'waste') {
      const state = this.waste.get(id);
      if (state) wasteReading(state, reading.ts, reading.metrics.fill);
    } else if (reading.domain === 'mobility') {
      const state = this.mobility.get(id);
      if (state) mobilityReading(state, reading, this.timeZone);
    } else {
      const state = this.energy.get(id);
      if (state) energyReading(state, reading.ts, reading.metrics.energy_kwh, this.timeZone);
    }
    this.markDirty(id);
  }

  onStatus(device: string): void {
    if (this.groupsOfDevice.has(device)) this.markDirty(device);
  }

  onEvent(event: DeviceEvent): void {
    const state = this.waste.get(event.device);
    if (state && event.type === 'collection') {
      state.lastCollection = Math.max(state.lastCollection ?? 0, event.ts);
      this.markDirty(event.device);
    }
  }

  /** Marks everything dirty, e.g. after the baselines were refreshed from the store. */
  touchAll(): void {
    for (const id of this.groupsOfDevice.keys()) this.markDirty(id);
  }

  private markDirty(device: string): void {
    this.dirtyDevices.add(device);
    for (const group of this.groupsOfDevice.get(device) ?? []) this.dirtyGroups.add(group);
  }

  /** The entities that changed since the last call, recomputed once each. */
  takeChanges(now: number): LiveEntity[] {
    if (now - this.lastHealthCheck >= this.healthEveryMs) {
      this.lastHealthCheck = now;
      for (const id of this.groupsOfDevice.keys()) {
        const health = this.tracker.health(id, now);
        if (this.health.get(id) !== health) this.markDirty(id);
      }
    }
    const hourStart = localHourStart(now, this.timeZone);
    if (hourStart !== this.hourStart) {
      // The hour's counts, today's baseline and the kW baseline all move on the hour.
      this.hourStart = hourStart;
      for (const group of this.groups.values()) if (group.domain !== 'waste') this.dirtyGroups.add(group);
    }
    const changes: LiveEntity[] = [];
    for (const id of this.dirtyDevices) {
      const config = this.registry.device(id);
      if (!config) continue;
      const entity = this.deviceEntity(config, now);
      this.current.set(entity.key, entity);
      changes.push(entity);
    }
    for (const group of this.dirtyGroups) {
      const entity = this.groupEntity(group, now);
      this.current.set(entity.key, entity);
      changes.push(entity);
    }
    this.dirtyDevices.clear();
    this.dirtyGroups.clear();
    return changes;
  }

  /** Every entity as of the last takeChanges(). */
  entities(): IterableIterator<LiveEntity> {
    return this.current.values();
  }

  get(key: string): LiveEntity | undefined {
    return this.current.get(key);
  }

  private deviceEntity(device: DeviceConfig, now: number): DeviceEntity {
    const live = this.tracker.get(device.id);
    const health = this.tracker.health(device.id, now);
    this.health.set(device.id, health);
    const entity: DeviceEntity = {
      key: deviceKey(device.id),
      scope: 'device',
      id: device.id,
      domain: device.domain,
      pilot: device.pilot,
      site: device.site,
      lastSeen: live?.lastSeen ?? null,
      health,
      values: { ...live?.values },
    };
    if (device.domain === 'waste') entity.lastCollection = this.waste.get(device.id)?.lastCollection ?? null;
    return entity;
  }

  private groupEntity(group: Group, now: number): AggregateEntity {
    let online = 0;
    let lastSeen: number | null = null;
    for (const d of group.devices) {
      if (this.tracker.health(d.id, now) === 'online') online++;
      const seen = this.tracker.get(d.id)?.lastSeen;
      if (seen !== undefined && (lastSeen === null || seen > lastSeen)) lastSeen = seen;
    }
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
    if (group.domain === 'waste')
      entity = { ...base, domain: 'waste', indicators: this.wasteIndicators(group) };
    else if (group.domain === 'mobility')
      entity = { ...base, domain: 'mobility', indicators: this.mobilityIndicators(group, now) };
    else entity = { ...base, domain: 'energy', indicators: this.energyIndicators(group, now) };
    if (group.scope === 'pilot') entity.trend = this.sampleTrend(group.pilot, entity, now);
    return entity;
  }

  private wasteIndicators(group: Group) {
    let reporting = 0;
    let sum = 0;
    let full = 0;
    let overflowing = 0;
    for (const d of group.devices) {
      const fill = this.tracker.get(d.id)?.values.fill;
      if (fill === undefined) continue;
      reporting++;
      sum += fill;
      if (isFull(fill)) full++;
      if (fill >= OVERFLOW_FILL) overflowing++;
    }
    return {
      bins: group.devices.length,
      reporting,
      meanFill: reporting ? sum / reporting : null,
      full,
      overflowing,
    };
  }

  private mobilityIndicators(group: Group, now: number) {
    const hourStart = localHourStart(now, this.timeZone);
    const dayStart = localDayStart(now, this.timeZone);
    const hourOfDay = localHour(now, this.timeZone);
    const hour = emptyCounts();
    const today = emptyCounts();
    let hourWeekAgo: ClassCounts | null = emptyCounts();
    let todayWeekAgo: ClassCounts | null = emptyCounts();
    for (const d of group.devices) {
      const state = this.mobility.get(d.id);
      if (!state) continue;
      rollMobility(state, now, this.timeZone);
      if (state.hourStart === hourStart) addCounts(hour, state.hour);
      if (state.dayStart === dayStart) addCounts(today, state.today);
      const weekAgo = state.weekAgo;
      if (!weekAgo || weekAgo.dayStart !== dayStart - 7 * 86_400_000) {
        hourWeekAgo = todayWeekAgo = null;
        continue;
      }
      if (hourWeekAgo && todayWeekAgo) {
        addCounts(hourWeekAgo, weekAgo.hourly[hourOfDay] ?? {});
        for (let h = 0; h <= hourOfDay; h++) addCounts(todayWeekAgo, weekAgo.hourly[h] ?? {});
      }
    }
    return { counters: group.devices.length, hourStart, dayStart, hour, today, hourWeekAgo, todayWeekAgo };
  }

  private energyIndicators(group: Group, now: number) {
    const hourOfDay = localHour(now, this.timeZone);
    const fraction = (now - localHourStart(now, this.timeZone)) / HOUR_MS;
    let kw: number | null = null;
    let kwh: number | null = null;
    let baselineKw: number | null = 0;
    let baselineKwh: number | null = 0;
    for (const d of group.devices) {
      const power = this.tracker.get(d.id)?.values.power_kw;
      // A silent meter's last power is stale: leave it out of "kW now" instead of freezing it in.
      if (power !== undefined && this.tracker.health(d.id, now) !== 'offline') kw = (kw ?? 0) + power;
      const state = this.energy.get(d.id);
      if (!state) continue;
      const today = kwhToday(state, now, this.timeZone);
      if (today !== null) kwh = (kwh ?? 0) + today;
      const base = energyBaseline(state, hourOfDay, fraction);
      baselineKw = base.kw === null || baselineKw === null ? null : baselineKw + base.kw;
      baselineKwh = base.kwhToDate === null || baselineKwh === null ? null : baselineKwh + base.kwhToDate;
    }
    return {
      meters: group.devices.length,
      kw,
      kwhToday: kwh,
      baselineKw: group.devices.length ? baselineKw : null,
      baselineKwhToDate: group.devices.length ? baselineKwh : null,
    };
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
