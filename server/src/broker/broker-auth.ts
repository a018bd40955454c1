/**
 * Device authentication and topic ACLs for the embedded aedes broker (when DEVICE_KEY is set).
 * Devices connect as `username = device id`, `password = devicePassword(DEVICE_KEY, id)`; the
 * server's own clients connect with the service identity. Anything else is refused with
 * CONNACK 5 (not authorized), as Mosquitto does. A publish outside the identity's rules closes
 * the connection (aedes's only answer in MQTT 3.1.1; Mosquitto instead drops it silently); a
 * subscription outside them is answered with SUBACK 0x80. Every refusal is counted.
 */
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import type { Domain } from '../contract/index.js';
import { devicePassword, passwordMatches } from './device-credentials.js';
import { canPublish, canSubscribe, topicRules, type TopicRules } from './topic-acl.js';

export interface BrokerAuthOptions {
  topicRoot: string;
  deviceKey: string;
  service: { username: string; password: string };
  /** The client-id prefix of the server's own clients (MQTT_CLIENT_ID): no device may take it over. */
  serviceClientIdPrefix: string;
  /** The registered device with this id, if any. */
  device(id: string): { id: string; domain: Domain } | undefined;
  /** Portfolio sources on this broker (server/src/sources/source-acl.ts); none when absent. */
  sources?: BrokerSourceRules;
}

/** What the sources on this broker add to the topic rules (see server/src/sources/source-acl.ts). */
export interface BrokerSourceRules {
  /** Filters the service identity also reads. */
  serviceRead: string[];
  /** A source identity's user name prefix (`source.`): such a user is a source, never a device. */
  usernamePrefix: string;
  /** The filter the source with this id may publish within; undefined for no such source. */
  sourceWrite(sourceId: string): string | undefined;
  /** A device's topics in its source's format, besides its contract topics. */
  deviceTopics(deviceId: string): { write: string[]; read: string[] };
}

export type RefusalReason =
  'no_credentials' | 'unknown_user' | 'bad_password' | 'will_denied' | 'client_id_reserved';

export interface BrokerAuthCounters {
  /** True: devices must authenticate (DEVICE_KEY set). */
  enforced: boolean;
  connects_refused: { total: number; by_reason: Partial<Record<RefusalReason, number>> };
  publishes_denied: number;
  subscriptions_denied: number;
}

export function emptyAuthCounters(enforced: boolean): BrokerAuthCounters {
  return {
    enforced,
    connects_refused: { total: 0, by_reason: {} },
    publishes_denied: 0,
    subscriptions_denied: 0,
  };
}

type Hooks = Required<
  Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>
>;

interface Session {
  name: string;
  rules: TopicRules;
}

export class BrokerAuth {
  readonly counters = emptyAuthCounters(true);
  private readonly sessions = new WeakMap<Client, Session>();
  private readonly wills = new WeakMap<Client, string>();
  private readonly serviceRules: TopicRules;
  /** Where refusals are reported; the runtime points it at the server's log once that exists. */
  log: (message: string) => void = (message) => process.stderr.write(`${message}\n`);

  constructor(private readonly options: BrokerAuthOptions) {
    const service = topicRules(options.topicRoot, { kind: 'service' });
    this.serviceRules = { ...service, read: [...service.read, ...(options.sources?.serviceRead ?? [])] };
  }

  get service(): { username: string; password: string } {
    return this.options.service;
  }

  hooks(): Hooks {
    return {
      preConnect: (client, packet, callback) => {
        // The CONNECT's last will is checked in authenticate, once the identity is known.
        if (packet.will) this.wills.set(client, packet.will.topic);
        callback(null, true);
      },
      authenticate: (client, username, password, done) => {
        const outcome = this.identify(client, username, password);
        if ('refused' in outcome) {
          this.refuse(outcome.refused, client, username);
          const error = new Error(`not authorized (${outcome.refused})`) as AuthenticateError;
          error.returnCode = 5;
          done(error, false);
          return;
        }
        this.sessions.set(client, outcome);
        done(null, true);
      },
      authorizePublish: (client, packet, callback) => {
        const session = client ? this.sessions.get(client) : undefined;
        if (session && canPublish(session.rules, packet.topic)) {
          callback(null);
          return;
        }
        this.counters.publishes_denied += 1;
        this.note(
          this.counters.publishes_denied,
          `publish by ${session?.name ?? 'unknown'} to ${packet.topic} denied`,
        );
        callback(new Error(`not authorized to publish to ${packet.topic}`));
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const session = this.sessions.get(client);
        if (session && canSubscribe(session.rules, subscription.topic)) {
          callback(null, subscription);
          return;
        }
        this.counters.subscriptions_denied += 1;
        this.note(
          this.counters.subscriptions_denied,
          `subscription by ${session?.name ?? 'unknown'} to ${subscription.topic} denied`,
        );
        // A null subscription is answered with SUBACK 0x80 (failure); the connection stays.
        callback(null, null);
      },
    };
  }

  private identify(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Session | { refused: RefusalReason } {
    const will = this.wills.get(client);
    this.wills.delete(client);
    if (username === undefined || username === '' || password === undefined)
      return { refused: 'no_credentials' };
    let session: Session;
    if (username === this.options.service.username) {
      if (!passwordMatches(password, this.options.service.password)) return { refused: 'bad_password' };
      session = { name: username, rules: this.serviceRules };
    } else if (this.options.sources && username.startsWith(this.options.sources.usernamePrefix)) {
      const write = this.options.sources.sourceWrite(
        username.slice(this.options.sources.usernamePrefix.length),
      );
      if (write === undefined) return { refused: 'unknown_user' };
      if (!passwordMatches(password, devicePassword(this.options.deviceKey, username)))
        return { refused: 'bad_password' };
      if (client.id.startsWith(this.options.serviceClientIdPrefix)) return { refused: 'client_id_reserved' };
      session = { name: username, rules: { write: [write], read: [], shared: false } };
    } else {
      const device = this.options.device(username);
      if (!device) return { refused: 'unknown_user' };
      if (!passwordMatches(password, devicePassword(this.options.deviceKey, device.id)))
        return { refused: 'bad_password' };
      if (client.id.startsWith(this.options.serviceClientIdPrefix)) return { refused: 'client_id_reserved' };
      const rules = topicRules(this.options.topicRoot, {
        kind: 'device',
        id: device.id,
        domain: device.domain,
      });
      const extra = this.options.sources?.deviceTopics(device.id);
      if (extra && (extra.write.length > 0 || extra.read.length > 0)) {
        rules.write.push(...extra.write);
        rules.read.push(...extra.read);
      }
      session = { name: `device ${device.id}`, rules };
    }
    if (will !== undefined && !canPublish(session.rules, will)) return { refused: 'will_denied' };
    return session;
  }

  private refuse(reason: RefusalReason, client: Client, username: string | undefined): void {
    const refused = this.counters.connects_refused;
    refused.total += 1;
    refused.by_reason[reason] = (refused.by_reason[reason] ?? 0) + 1;
    const who = username === undefined ? 'without a username' : `as "${username.slice(0, 80)}"`;
    const from = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown address';
    this.note(refused.total, `connection ${who} from ${from} refused: ${reason}`);
  }

  /** Logs the first refusals of a kind, then every 1000th: a misbehaving device must not flood the log. */
  private note(count: number, message: string): void {
    if (count <= 20 || count % 1000 === 0) this.log(`mqtt auth: ${message} (${count} so far)`);
  }
}
