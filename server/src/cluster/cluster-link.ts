/**
 * The instance's MQTT client for the cluster exchange, separate from the ingest's (which holds
 * PUBACKs back and applies back-pressure; neither should touch live state). MQTT 5 for the
 * no-local subscription option: an instance does not get its own deltas back. Clean session:
 * the exchange carries live state only, and the store holds everything durably.
 *
 * Topics, under the contract's root:
 *   {root}/cluster/{instanceId}/deltas    QoS 0, not retained: what the instance ingested (cluster-codec.ts)
 *   {root}/cluster/{instanceId}/presence  published QoS 1, retained; cleared by the last will (membership.ts)
 *   {root}/cluster/auth/…                 QoS 1, retained: users and sign-outs (cluster-auth.ts)
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface ClusterLinkOptions {
  url: string;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  topicRoot: string;
  instanceId: string;
}

export interface ClusterLinkHandlers {
  onDeltas(instanceId: string, payload: Buffer): void;
  onPresence(instanceId: string, payload: Buffer, retained: boolean): void;
  /** A message under `{root}/cluster/auth/`; `suffix` starts with `auth/`. */
  onAuth(suffix: string, payload: Buffer): void;
  /** Every (re)connection, before subscribing: the broker may send retained messages before its SUBACK. */
  onConnected(): void;
  /** Every (re)connection, once both subscriptions are in place. */
  onSubscribed(): void;
  warn(message: string): void;
}

export function clusterTopics(root: string, instanceId: string) {
  return {
    deltas: `${root}/cluster/${instanceId}/deltas`,
    presence: `${root}/cluster/${instanceId}/presence`,
    allDeltas: `${root}/cluster/+/deltas`,
    allPresence: `${root}/cluster/+/presence`,
    allAuth: `${root}/cluster/auth/#`,
  };
}

export class ClusterLink {
  private client: MqttClient | undefined;
  private readonly topics: ReturnType<typeof clusterTopics>;
  private readonly prefix: string;

  constructor(
    private readonly options: ClusterLinkOptions,
    private readonly presencePayload: string,
    private readonly handlers: ClusterLinkHandlers,
  ) {
    this.topics = clusterTopics(options.topicRoot, options.instanceId);
    this.prefix = `${options.topicRoot}/cluster/`;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const clientOptions: IClientOptions = {
      clientId: this.options.clientId,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      // The will fires 1.5 × keepalive after the instance goes silent: that long a dead leader stays leader.
      keepalive: 5,
      // Live state that missed its moment is stale: never queue it while the broker is away.
      queueQoSZero: false,
      // No pre-built Buffer per packet id (about 7 MB of heap); see MqttIngest.
      writeCache: false,
      will: { topic: this.topics.presence, payload: Buffer.alloc(0), qos: 1, retain: true },
    };
    if (this.options.username !== undefined) clientOptions.username = this.options.username;
    if (this.options.password !== undefined) clientOptions.password = this.options.password;
    const client = mqtt.connect(this.options.url, clientOptions);
    this.client = client;
    client.on('error', (error) => this.handlers.warn(`cluster mqtt: ${error.message}`));
    client.on('message', (topic, payload, packet) => {
      if (topic.startsWith(`${this.prefix}auth/`)) {
        this.handlers.onAuth(topic.slice(this.prefix.length), payload);
        return;
      }
      const id = this.instanceOf(topic, '/deltas');
      if (id !== undefined) {
        // No-local keeps our own deltas away; the check covers a broker that ignores it.
        if (id !== this.options.instanceId) this.handlers.onDeltas(id, payload);
        return;
      }
      const member = this.instanceOf(topic, '/presence');
      if (member !== undefined) this.handlers.onPresence(member, payload, packet.retain);
    });
    client.on('connect', () => {
      this.handlers.onConnected();
      client.subscribe(
        {
          [this.topics.allDeltas]: { qos: 0, nl: true },
          // QoS 0 is enough: presences are retained, and a reconnection fetches them all again.
          [this.topics.allPresence]: { qos: 0, nl: true },
          // QoS 1: a sign-out must not be lost on the way.
          [this.topics.allAuth]: { qos: 1, nl: true },
        },
        (error) => {
          if (error) {
            this.handlers.warn(`cluster mqtt: subscribe failed: ${error.message}`);
            return;
          }
          this.announce();
          this.handlers.onSubscribed();
        },
      );
    });
  }

  /** (Re)publishes this instance's presence. */
  announce(): void {
    this.client?.publish(this.topics.presence, this.presencePayload, { qos: 1, retain: true }, (error) => {
      if (error) this.handlers.warn(`cluster mqtt: presence not published: ${error.message}`);
    });
  }

  /** QoS 0; dropped while the broker is away. */
  publishDeltas(payload: string): void {
    const client = this.client;
    if (!client?.connected) return;
    client.publish(this.topics.deltas, payload, { qos: 0 });
  }

  /** QoS 1 and retained, under `{root}/cluster/`; MQTT.js keeps it while the broker is away. */
  publishRetained(suffix: string, payload: Buffer): void {
    this.client?.publish(`${this.prefix}${suffix}`, payload, { qos: 1, retain: true }, (error) => {
      if (error) this.handlers.warn(`cluster mqtt: ${suffix} not published: ${error.message}`);
    });
  }

  /** Leaves cleanly: clears the retained presence (peers re-elect at once), then disconnects. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected) {
      await client
        .publishAsync(this.topics.presence, Buffer.alloc(0), { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await client.endAsync(!client.connected);
  }

  private instanceOf(topic: string, suffix: string): string | undefined {
    if (!topic.startsWith(this.prefix) || !topic.endsWith(suffix)) return undefined;
    const id = topic.slice(this.prefix.length, topic.length - suffix.length);
    return id.includes('/') ? undefined : id;
  }
}
