/**
 * One instance's part in a cluster (INGEST_SHARE_GROUP set).
 *
 * The broker hands each reading to one instance (shared subscription, round-robin in Mosquitto),
 * which stores it. For live state the instances exchange what they ingested: every LINK_TICK_MS
 * an instance publishes its new readings, status changes and events on its deltas topic, and
 * takes its peers'. Both its own and its peers' go through the hold queue into `liveBus`, where
 * the device tracker, the indicator engine and the alert rules listen; the ingest bus keeps only
 * the durable path (store writer) and this exchange.
 *
 * Why readings rather than computed indicators: a device's readings are split across instances,
 * so no instance holds a device's complete state to send, and the aggregates (a pilot's mean fill,
 * a corridor's counts today) are sums over devices that would be counted twice if instances sent
 * theirs. Every instance instead rebuilds every indicator from the same ordered stream.
 */
import { randomBytes } from 'node:crypto';
import type { AlertService } from '../alerts/alert-service.js';
import type { AuthService } from '../auth/auth-service.js';
import { Bus, type BusMessages } from '../bus/bus.js';
import type { Registry } from '../config/registry.js';
import { ClusterAlerts, type AlertDeliveryOptions } from './cluster-alerts.js';
import { ClusterAuth } from './cluster-auth.js';
import {
  MAX_ENTRIES_PER_MESSAGE,
  batchSize,
  decodeBatch,
  emptyBatch,
  encodeBatch,
  type ClusterBatch,
} from './cluster-codec.js';
import { ClusterLink } from './cluster-link.js';
import type { ClusterSettings } from './cluster-settings.js';
import { HoldQueue, type HeldItem } from './hold-queue.js';
import { Membership, encodePresence } from './membership.js';

/** How often the outbox is published and the hold queue released. */
export const LINK_TICK_MS = 25;
/** Presence messages retained at the broker arrive right after subscribing; leadership waits for them. */
const SETTLE_MS = 1_000;

export interface ClusterMqtt {
  url: string;
  /** This instance's own client id (memberClientId); the link appends `-cluster-<nonce>`. */
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  topicRoot: string;
}

export interface ClusterLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class Cluster {
  /** The merged, ordered stream the live state listens to. */
  readonly liveBus: Bus;
  readonly membership: Membership;
  private readonly link: ClusterLink;
  private readonly hold: HoldQueue;
  private outbox: ClusterBatch = emptyBatch();
  private readonly remote = new WeakSet<object>();
  private timer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private settled = false;
  private stopping = false;
  private alerts: ClusterAlerts | undefined;
  private auth: ClusterAuth | undefined;
  private lastWarning = 0;
  private readonly counters = {
    sentMessages: 0,
    sentReadings: 0,
    receivedMessages: 0,
    receivedReadings: 0,
    rejected: 0,
  };

  constructor(
    private readonly registry: Registry,
    ingestBus: Bus,
    private readonly settings: ClusterSettings,
    mqtt: ClusterMqtt,
    private readonly log: ClusterLog,
    onObserverError: (error: unknown, type: keyof BusMessages) => void,
  ) {
    this.liveBus = new Bus(onObserverError);
    this.hold = new HoldQueue(settings.holdMs);
    const nonce = randomBytes(6).toString('hex');
    this.membership = new Membership({ id: settings.instanceId, nonce, since: Date.now() });
    this.link = new ClusterLink(
      {
        url: mqtt.url,
        // The nonce keeps two instances that wrongly share an id from taking over each other's link.
        clientId: `${mqtt.clientId}-cluster-${nonce}`,
        username: mqtt.username,
        password: mqtt.password,
        topicRoot: mqtt.topicRoot,
        instanceId: settings.instanceId,
      },
      encodePresence(this.membership.self),
      {
        onDeltas: (_id, payload) => this.onDeltas(payload),
        onPresence: (id, payload, retained) => this.onPresence(id, payload, retained),
        onAuth: (suffix, payload) => this.auth?.onMessage(suffix, payload),
        onConnected: () => this.onConnected(),
        onSubscribed: () => this.onSubscribed(),
        warn: (m) => log.warn(m),
      },
    );
    ingestBus.on('reading', (reading) => {
      this.outbox.readings.push(reading);
      this.hold.push({ kind: 'reading', value: reading }, reading.receivedAt, reading.receivedAt);
    });
    ingestBus.on('status', (value) => {
      const at = Date.now();
      this.outbox.statuses.push({ value, receivedAt: at });
      this.hold.push({ kind: 'status', value }, at, at);
    });
    ingestBus.on('event', (value) => {
      const at = Date.now();
      this.outbox.events.push({ value, receivedAt: at });
      this.hold.push({ kind: 'event', value }, at, at);
    });
  }

  get instanceId(): string {
    return this.settings.instanceId;
  }

  get isLeader(): boolean {
    return this.alerts?.isLeading ?? (this.settled && this.link.connected && this.membership.isLeader);
  }

  /** True for a reading, status or event that a peer ingested (it is stored and counted there). */
  isRemote(message: object): boolean {
    return this.remote.has(message);
  }

  /**
   * Alerts: rules run on `liveBus` everywhere; acknowledgements are shared with the peers; MQTT
   * and webhook delivery happen on the leader only (cluster-alerts.ts).
   */
  attachAlerts(alerts: AlertService, delivery: AlertDeliveryOptions): void {
    this.alerts = new ClusterAlerts(
      alerts,
      delivery,
      (ack) => this.outbox.acks.push(ack),
      (m) => this.log.warn(m),
    );
  }

  /**
   * Sessions: users and sign-outs are shared with the peers (cluster-auth.ts), so a session
   * signed in on any instance holds on every instance, and a sign-out ends it everywhere.
   */
  attachAuth(auth: AuthService): void {
    this.auth = new ClusterAuth(auth, {
      publishRetained: (suffix, payload) => this.link.publishRetained(suffix, payload),
      warn: (m) => this.log.warn(m),
    });
  }

  /** Resolves once the peers' users and sign-outs held by the broker are in (false after `ms`). */
  async authSynced(ms: number): Promise<boolean> {
    if (!this.auth) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.auth.synced.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  start(): void {
    this.link.start();
    this.timer ??= setInterval(() => this.tick(Date.now()), LINK_TICK_MS);
    this.log.info(
      `cluster: instance ${this.settings.instanceId}, readings held ${this.settings.holdMs} ms for merging`,
    );
  }

  async stop(): Promise<void> {
    // From here on peers' presences and deltas no longer matter, and this instance never leads again.
    this.stopping = true;
    clearInterval(this.timer);
    clearTimeout(this.settleTimer);
    this.timer = undefined;
    this.publishOutbox();
    this.deliver(this.hold.releaseAll());
    await this.alerts?.stop();
    this.auth?.stop();
    await this.link.stop();
  }

  stats() {
    return {
      instance: this.settings.instanceId,
      leader: this.settled ? this.membership.leader : null,
      peers: this.membership.peers,
      held: this.hold.size,
      sent: { messages: this.counters.sentMessages, readings: this.counters.sentReadings },
      received: { messages: this.counters.receivedMessages, readings: this.counters.receivedReadings },
      rejected: this.counters.rejected,
      auth: this.auth?.counters,
    };
  }

  private tick(now: number): void {
    this.publishOutbox();
    this.deliver(this.hold.release(now));
    // Losing the broker means the peers may already have elected another leader.
    if (this.settled && !this.link.connected) this.updateLeadership();
  }

  private deliver(items: HeldItem[]): void {
    for (const item of items) {
      if (item.kind === 'reading') this.liveBus.notify('reading', item.value);
      else if (item.kind === 'status') this.liveBus.notify('status', item.value);
      else this.liveBus.notify('event', item.value);
    }
  }

  private publishOutbox(): void {
    const batch = this.outbox;
    if (batchSize(batch) === 0) return;
    this.outbox = emptyBatch();
    // Rare messages ride with the first slice of readings; a flood is split into bounded messages.
    for (let i = 0; i === 0 || i < batch.readings.length; i += MAX_ENTRIES_PER_MESSAGE) {
      const slice: ClusterBatch =
        i === 0
          ? { ...batch, readings: batch.readings.slice(0, MAX_ENTRIES_PER_MESSAGE) }
          : { ...emptyBatch(), readings: batch.readings.slice(i, i + MAX_ENTRIES_PER_MESSAGE) };
      this.link.publishDeltas(encodeBatch(slice));
      this.counters.sentMessages++;
      this.counters.sentReadings += slice.readings.length;
    }
  }

  private onDeltas(payload: Buffer): void {
    if (this.stopping) return;
    const now = Date.now();
    const { batch, rejected, reason } = decodeBatch(this.registry, payload);
    this.counters.receivedMessages++;
    this.counters.receivedReadings += batch.readings.length;
    if (rejected > 0) {
      this.counters.rejected += rejected;
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.log.warn(`cluster: ${rejected} entries of a peer's message refused (${reason ?? 'unknown'})`);
      }
    }
    for (const value of batch.readings) {
      this.remote.add(value);
      this.hold.push({ kind: 'reading', value }, value.receivedAt, now);
    }
    for (const { value, receivedAt } of batch.statuses) {
      this.remote.add(value);
      this.hold.push({ kind: 'status', value }, receivedAt, now);
    }
    for (const { value, receivedAt } of batch.events) {
      this.remote.add(value);
      this.hold.push({ kind: 'event', value }, receivedAt, now);
    }
    for (const ack of batch.acks) this.alerts?.applyPeerAck(ack);
  }

  private onPresence(id: string, payload: Buffer, retained: boolean): void {
    const verdict = this.membership.onPresence(id, payload, retained);
    if (verdict === 'republish') this.link.announce();
    else if (verdict === 'duplicate')
      this.log.error(
        `cluster: another running instance uses INSTANCE_ID=${id}; give every instance its own (its MQTT session depends on it)`,
      );
    else if (verdict === 'changed') {
      this.log.info(`cluster: members ${this.membership.ids.join(', ')}`);
      if (this.settled) this.updateLeadership();
    }
  }

  /** On every (re)connection the retained presences arrive afresh: rebuild membership from them. */
  private onConnected(): void {
    this.auth?.onConnected();
    this.settled = false;
    clearTimeout(this.settleTimer);
    this.membership.reset();
  }

  private onSubscribed(): void {
    this.auth?.onSubscribed();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settled = true;
      this.updateLeadership();
    }, SETTLE_MS);
  }

  private updateLeadership(): void {
    const leading = !this.stopping && this.settled && this.link.connected && this.membership.isLeader;
    if (!this.alerts || leading === this.alerts.isLeading) return;
    this.alerts.setLeader(leading);
    this.log.info(
      leading
        ? `cluster: ${this.settings.instanceId} leads (delivers alerts to MQTT and the webhook)`
        : `cluster: ${this.settings.instanceId} no longer leads`,
    );
  }
}
