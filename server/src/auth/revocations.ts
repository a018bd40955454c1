/**
 * Sign-outs, so that a token signed for a session that has ended is refused although its MAC and
 * expiry are fine. Two kinds, each kept until the tokens it names would have expired anyway:
 *   - one session (`sid`): POST /api/auth/logout;
 *   - every session of a user issued before a time (`before`): when a user has signed out more
 *     than MAX_PER_USER sessions that are not expired yet, their oldest give way to one of these,
 *     which bounds the list (the user signs in again everywhere).
 * Kept in DATA_DIR/sessions.json (a restart forgets no sign-out) and, in a cluster, exchanged with the
 * peers (server/src/cluster/cluster-auth.ts), so a sign-out on one instance holds on every instance.
 */
import { readJsonFile, writeJsonFile } from './json-file.js';
import type { SessionClaims } from './session-tokens.js';
import { USERNAME_PATTERN } from './user-store.js';

export type Revocation = { sub: string; exp: number } & ({ sid: string } | { before: number });

const MAX_PER_USER = 100;
const SID = /^[A-Za-z0-9_-]{22}$/;

export function isRevocation(value: unknown): value is Revocation {
  const r = value as Partial<Record<'sub' | 'exp' | 'sid' | 'before', unknown>> | null;
  if (typeof r !== 'object' || r === null) return false;
  if (typeof r.sub !== 'string' || !USERNAME_PATTERN.test(r.sub) || !Number.isFinite(r.exp)) return false;
  return typeof r.sid === 'string' ? SID.test(r.sid) : Number.isFinite(r.before);
}

export class Revocations {
  private readonly sessions = new Map<string, Revocation & { sid: string }>();
  private readonly users = new Map<string, Revocation & { before: number }>();

  constructor(
    private readonly path: string | undefined,
    now = Date.now(),
  ) {
    if (!path) return;
    const data = readJsonFile(path) as { version?: number; revoked?: unknown[] } | undefined;
    // Version 1 held the hashes of opaque tokens, which no longer sign anyone in.
    if (data?.version !== 2 || !Array.isArray(data.revoked)) return;
    // A damaged entry is skipped: the file is rewritten whole on the next change.
    for (const entry of data.revoked) if (isRevocation(entry) && entry.exp > now) this.put(entry);
  }

  get size(): number {
    return this.sessions.size + this.users.size;
  }

  isRevoked(claims: SessionClaims): boolean {
    if (this.sessions.has(claims.sid)) return true;
    const user = this.users.get(claims.sub);
    return user !== undefined && claims.iat < user.before;
  }

  /**
   * Ends one session. Returns what was recorded: the session, or, past MAX_PER_USER sign-outs of
   * that user, every session of theirs issued until now.
   */
  revokeSession(claims: SessionClaims, now: number): Revocation {
    const mine = [...this.sessions.values()].filter((r) => r.sub === claims.sub);
    if (mine.length < MAX_PER_USER) {
      const revocation = { sid: claims.sid, sub: claims.sub, exp: claims.exp };
      this.add(revocation, now);
      return revocation;
    }
    const exp = Math.max(claims.exp, ...mine.map((r) => r.exp));
    const revocation = { sub: claims.sub, before: now + 1, exp };
    // Every session of the user signed out so far was issued before now: the one entry covers them.
    for (const r of mine) this.sessions.delete(r.sid);
    this.add(revocation, now);
    return revocation;
  }

  /** Records a revocation (made here or by a peer); false when it adds nothing. */
  add(revocation: Revocation, now = Date.now()): boolean {
    if (revocation.exp <= now) return false;
    if ('sid' in revocation ? this.sessions.has(revocation.sid) : this.covered(revocation)) return false;
    this.put(revocation);
    this.save();
    return true;
  }

  /** Forgets the revocations whose tokens have expired anyway; returns how many. */
  sweep(now = Date.now()): number {
    let removed = 0;
    for (const map of [this.sessions, this.users] as Map<string, Revocation>[])
      for (const [key, r] of map) if (r.exp <= now && map.delete(key)) removed++;
    if (removed > 0) this.save();
    return removed;
  }

  list(): Revocation[] {
    return [...this.sessions.values(), ...this.users.values()];
  }

  private covered(revocation: Revocation & { before: number }): boolean {
    const current = this.users.get(revocation.sub);
    return current !== undefined && current.before >= revocation.before && current.exp >= revocation.exp;
  }

  private put(revocation: Revocation): void {
    if ('sid' in revocation) {
      this.sessions.set(revocation.sid, revocation);
      return;
    }
    const current = this.users.get(revocation.sub);
    this.users.set(revocation.sub, {
      sub: revocation.sub,
      before: Math.max(revocation.before, current?.before ?? 0),
      exp: Math.max(revocation.exp, current?.exp ?? 0),
    });
  }

  private save(): void {
    if (this.path) writeJsonFile(this.path, { version: 2, revoked: this.list() });
  }
}
