/**
 * Users and sign-outs shared by the instances of a cluster, so that a session signed in on one
 * instance is accepted by all of them (server/src/auth/auth-service.ts) and ended on all of them.
 * Retained messages on the broker are the meeting point, one topic per item, QoS 1:
 *
 *   {root}/cluster/auth/users/{username}       a user, or its tombstone once deleted
 *   {root}/cluster/auth/revoked/{sid}          one signed-out session
 *   {root}/cluster/auth/signed-out/{username}  every session of a user issued before a time
 *
 * An instance that starts later gets all of them on subscribing. Once they have arrived, each
 * instance publishes what it holds that the broker lacks or holds older (a broker restarted without
 * persistence has lost its retained messages), and clears sign-outs whose tokens have expired.
 *
 * Payloads are sealed with AES-256-GCM under a key derived from SESSION_SECRET, with the topic as
 * associated data: the broker and its other clients see no password hash, and a message not sealed
 * with the cluster's secret, or moved to another topic, is refused and counted. (Mosquitto's ACLs
 * from server/src/broker/ already let only the service identity write `{root}/cluster/#`.)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AuthChange, AuthService } from '../auth/auth-service.js';
import { isRevocation } from '../auth/revocations.js';
import { isUserChange } from '../auth/user-store.js';

/** Retained messages arrive right after subscribing; reconciling waits this long for them. */
const SETTLE_MS = 1_000;
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface ClusterAuthLink {
  /** Publishes retained, QoS 1, under `{root}/cluster/`; an empty payload clears the topic. */
  publishRetained(suffix: string, payload: Buffer): void;
  warn(message: string): void;
}

export function authTopic(change: AuthChange): string {
  if (change.kind === 'user') return `auth/users/${change.user.username}`;
  const r = change.revocation;
  return 'sid' in r ? `auth/revoked/${r.sid}` : `auth/signed-out/${r.sub}`;
}

/** Orders the versions of one topic's item: newer users, later "signed out before" times. */
function versionOf(change: AuthChange): number {
  if (change.kind === 'user') return change.user.updated_at;
  return 'before' in change.revocation ? change.revocation.before : 1;
}

export class ClusterAuth {
  readonly counters = { received: 0, applied: 0, rejected: 0, published: 0 };
  /** What the broker holds, as seen since the last (re)connection: topic → version. */
  private readonly onBroker = new Map<string, number>();
  private settleTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastWarning = 0;
  private markSynced: () => void = () => undefined;
  /** Resolves once the broker's retained users and sign-outs have been taken in the first time. */
  readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(
    private readonly auth: AuthService,
    private readonly link: ClusterAuthLink,
  ) {
    auth.onChange((change) => this.send(change));
  }

  /** Every (re)connection: the retained messages arrive afresh. */
  onConnected(): void {
    clearTimeout(this.settleTimer);
    this.onBroker.clear();
  }

  onSubscribed(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.reconcile(Date.now());
      this.markSynced();
    }, SETTLE_MS);
  }

  onMessage(suffix: string, payload: Buffer, now = Date.now()): void {
    // An empty payload is a topic being cleared (an expired sign-out).
    if (this.stopped || payload.length === 0) return;
    this.counters.received++;
    const change = this.open(suffix, payload);
    if (!change) {
      this.counters.rejected++;
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.link.warn(
          `cluster: a user or sign-out message on ${suffix} was refused (not sealed with this cluster's SESSION_SECRET, or damaged)`,
        );
      }
      return;
    }
    this.onBroker.set(suffix, Math.max(this.onBroker.get(suffix) ?? 0, versionOf(change)));
    if (change.kind === 'revocation' && change.revocation.exp <= now) {
      this.link.publishRetained(suffix, Buffer.alloc(0));
      return;
    }
    if (this.auth.apply(change, now)) this.counters.applied++;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.settleTimer);
  }

  private reconcile(now: number): void {
    for (const change of this.auth.changes()) {
      if (change.kind === 'revocation' && change.revocation.exp <= now) continue;
      if ((this.onBroker.get(authTopic(change)) ?? 0) < versionOf(change)) this.send(change);
    }
  }

  private send(change: AuthChange): void {
    const suffix = authTopic(change);
    this.onBroker.set(suffix, Math.max(this.onBroker.get(suffix) ?? 0, versionOf(change)));
    this.link.publishRetained(suffix, this.seal(suffix, change));
    this.counters.published++;
  }

  private seal(suffix: string, change: AuthChange): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.auth.keys.exchange, iv);
    cipher.setAAD(Buffer.from(suffix));
    const body = Buffer.concat([cipher.update(JSON.stringify(change)), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
  }

  private open(suffix: string, payload: Buffer): AuthChange | undefined {
    if (payload[0] !== FORMAT || payload.length <= 1 + IV_BYTES + TAG_BYTES) return undefined;
    let change: unknown;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.auth.keys.exchange,
        payload.subarray(1, 1 + IV_BYTES),
      );
      decipher.setAAD(Buffer.from(suffix));
      decipher.setAuthTag(payload.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(payload.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      change = JSON.parse(text.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
    const c = change as Partial<{ kind: unknown; user: unknown; revocation: unknown }> | null;
    const valid =
      (c?.kind === 'user' && isUserChange(c.user)) ||
      (c?.kind === 'revocation' && isRevocation(c.revocation));
    // Sealed for this topic, and about the item the topic names.
    return valid && authTopic(change as AuthChange) === suffix ? (change as AuthChange) : undefined;
  }
}
