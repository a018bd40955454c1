/**
 * Who is in the cluster, from retained presence messages: each instance keeps
 * `{root}/cluster/{instanceId}/presence` = `{"id","nonce","since"}` (retained), and its MQTT last
 * will clears it (an empty retained message) when the broker loses the instance. The member with
 * the smallest id is the leader: the one instance that delivers alerts outside the cluster.
 * A crashed leader is replaced once the broker gives up on its connection (1.5 × keepalive).
 */
export interface Presence {
  id: string;
  nonce: string;
  since: number;
}

export type PresenceVerdict =
  | 'changed'
  | 'unchanged'
  /** Our own retained presence was cleared (an earlier incarnation's will): publish it again. */
  | 'republish'
  /** A live instance announces our id with another nonce: two instances share an INSTANCE_ID. */
  | 'duplicate';

export class Membership {
  private readonly members = new Map<string, Presence>();

  constructor(readonly self: Presence) {
    this.members.set(self.id, self);
  }

  /** A message on `{root}/cluster/{id}/presence`; `retained`: delivered from the broker's store, not live. */
  onPresence(id: string, payload: Buffer, retained: boolean): PresenceVerdict {
    const presence = parsePresence(payload);
    if (id === this.self.id) {
      if (presence === undefined) return 'republish';
      if (presence.nonce === this.self.nonce) return 'unchanged';
      // A retained one is an earlier incarnation's leftover, which our own publish replaces.
      return retained ? 'republish' : 'duplicate';
    }
    if (presence === undefined || presence.id !== id) {
      return this.members.delete(id) ? 'changed' : 'unchanged';
    }
    const known = this.members.get(id);
    this.members.set(id, presence);
    return known?.nonce === presence.nonce ? 'unchanged' : 'changed';
  }

  /** Forgets the peers (before the broker re-sends the retained presences on a reconnection). */
  reset(): void {
    this.members.clear();
    this.members.set(this.self.id, this.self);
  }

  get ids(): string[] {
    return [...this.members.keys()].sort();
  }

  get peers(): string[] {
    return this.ids.filter((id) => id !== this.self.id);
  }

  get leader(): string {
    return this.ids[0] ?? this.self.id;
  }

  get isLeader(): boolean {
    return this.leader === this.self.id;
  }
}

export function encodePresence(presence: Presence): string {
  return JSON.stringify(presence);
}

function parsePresence(payload: Buffer): Presence | undefined {
  if (payload.length === 0 || payload.length > 1024) return undefined;
  try {
    const value = JSON.parse(payload.toString('utf8')) as Partial<Presence> | null;
    if (
      value &&
      typeof value.id === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.since === 'number'
    )
      return { id: value.id, nonce: value.nonce, since: value.since };
  } catch {
    // Not a presence message: treated as absent.
  }
  return undefined;
}
