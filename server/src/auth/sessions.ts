/**
 * Sign-in sessions. The client holds an opaque random token (32 bytes); the server keeps only its
 * SHA-256, in memory and in DATA_DIR/sessions.json, so a restart does not sign everyone out and a
 * leaked file does not hand out live tokens. Looking the hash up in a map leaks nothing useful by
 * timing: an attacker would need a preimage of the hash to exploit it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readJsonFile, writeJsonFile } from './json-file.js';

export interface Session {
  /** SHA-256 of the token, hex. */
  id: string;
  username: string;
  created_at: number;
  expires_at: number;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_SESSIONS = 10_000;
const MAX_PER_USER = 20;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly path: string | undefined,
    readonly ttlMs: number,
    now = Date.now(),
  ) {
    if (!path) return;
    const data = readJsonFile(path) as { sessions?: Session[] } | undefined;
    for (const s of Array.isArray(data?.sessions) ? data.sessions : []) {
      // A damaged entry only costs its holder a new sign-in.
      if (typeof s?.id === 'string' && typeof s.username === 'string' && s.expires_at > now)
        this.sessions.set(s.id, {
          id: s.id,
          username: s.username,
          created_at: s.created_at,
          expires_at: s.expires_at,
        });
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  create(username: string, now = Date.now()): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      id: hashToken(token),
      username,
      created_at: now,
      expires_at: now + this.ttlMs,
    };
    const mine = [...this.sessions.values()].filter((s) => s.username === username);
    // Bounded: the oldest sessions give way (per user, then overall).
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_PER_USER + 1))) this.end(old.id);
    if (this.sessions.size >= MAX_SESSIONS) this.end(this.sessions.keys().next().value as string);
    this.sessions.set(session.id, session);
    this.save();
    return { token, session };
  }

  /** The live session a token stands for. */
  find(token: string, now = Date.now()): Session | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const id = hashToken(token);
    const session = this.sessions.get(id);
    if (!session || !timingSafeEqual(Buffer.from(session.id), Buffer.from(id))) return undefined;
    if (session.expires_at <= now) {
      this.end(id);
      this.save();
      return undefined;
    }
    return session;
  }

  revoke(token: string): boolean {
    if (!TOKEN_PATTERN.test(token)) return false;
    const ended = this.end(hashToken(token));
    if (ended) this.save();
    return ended;
  }

  revokeUser(username: string): number {
    const ids = [...this.sessions.values()].filter((s) => s.username === username).map((s) => s.id);
    for (const id of ids) this.end(id);
    if (ids.length > 0) this.save();
    return ids.length;
  }

  /** Ends expired sessions (their WebSockets close); run every minute. */
  sweep(now = Date.now()): number {
    const expired = [...this.sessions.values()].filter((s) => s.expires_at <= now).map((s) => s.id);
    for (const id of expired) this.end(id);
    if (expired.length > 0) this.save();
    return expired.length;
  }

  /** Calls `onEnd` once when the session is revoked or expires; returns the unsubscribe. */
  watch(id: string, onEnd: () => void): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(onEnd);
    return () => {
      set.delete(onEnd);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  private end(id: string): boolean {
    const existed = this.sessions.delete(id);
    const watchers = this.watchers.get(id);
    this.watchers.delete(id);
    for (const onEnd of watchers ?? []) onEnd();
    return existed;
  }

  private save(): void {
    if (this.path) writeJsonFile(this.path, { version: 1, sessions: [...this.sessions.values()] });
  }
}
