/**
 * Sign-in, sessions and who may do what: the users, the session tokens, the sign-outs, the per-name
 * login throttle and the counters, behind one object that buildApp and the routes share.
 *
 * A session is a signed token (session-tokens.ts), so any instance holding the same SESSION_SECRET
 * accepts it without asking the one that issued it. It is refused once expired, once signed out
 * (revocations.ts), and once its user's credentials changed: the token carries a digest of them
 * (for a user from users.json, of the scrypt hash, new with every creation; for the admin from the
 * environment, of ADMIN_PASSWORD itself), so deleting a user, creating them again, or changing
 * ADMIN_PASSWORD ends their sessions on every instance that knows the change.
 */
import { join } from 'node:path';
import { requireAdminPassword, type AuthSettings } from './auth-settings.js';
import { LoginThrottle } from './login-throttle.js';
import { Revocations, type Revocation } from './revocations.js';
import { permissionsOf, type Permission, type Role } from './roles.js';
import { sessionKeys, type SessionKeys } from './session-secret.js';
import { SessionTokens, type SessionClaims } from './session-tokens.js';
import { SessionWatch } from './session-watch.js';
import { UserStore, type UserChange, type UserRecord } from './user-store.js';

/** Who made a request, and how they proved it. */
export interface Principal {
  username: string;
  role: Role;
  sessionId: string;
  expiresAt: number;
  via: 'cookie' | 'bearer';
}

export interface AuthCounters {
  logins: number;
  failed_logins: number;
  throttled_logins: number;
  denied: number;
  unauthenticated: number;
}

export interface Session {
  id: string;
  username: string;
  expires_at: number;
}

export type LoginResult =
  | { ok: true; token: string; session: Session; role: Role; permissions: readonly Permission[] }
  | { ok: false; reason: 'bad_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

/** What instances exchange so that every one of them knows every user and every sign-out. */
export type AuthChange = { kind: 'user'; user: UserChange } | { kind: 'revocation'; revocation: Revocation };

export class AuthService {
  readonly counters: AuthCounters = {
    logins: 0,
    failed_logins: 0,
    throttled_logins: 0,
    denied: 0,
    unauthenticated: 0,
  };
  readonly keys: SessionKeys;
  private readonly throttle = new LoginThrottle();
  private readonly tokens: SessionTokens;
  private readonly watch = new SessionWatch();
  private readonly listeners: ((change: AuthChange) => void)[] = [];
  private readonly credentialKeys = new Map<string, { password: string; key: string }>();
  private readonly sweepTimer: NodeJS.Timeout;

  private constructor(
    readonly settings: AuthSettings,
    readonly users: UserStore,
    readonly revocations: Revocations,
    keys: SessionKeys,
  ) {
    this.keys = keys;
    this.tokens = new SessionTokens(keys.tokens);
    users.onChange((user) => {
      this.watch.recheck(user.username, (token) => this.authenticate(token, 'bearer') !== undefined);
      this.emit({ kind: 'user', user });
    });
    this.sweepTimer = setInterval(() => this.sweep(), 60_000);
    this.sweepTimer.unref();
  }

  /**
   * `dataDir` undefined keeps users, sign-outs and the secret in memory (tests). Throws ConfigError
   * without ADMIN_PASSWORD.
   */
  static async open(settings: AuthSettings, dataDir: string | undefined): Promise<AuthService> {
    const password = requireAdminPassword(settings);
    const users = await UserStore.open(
      dataDir && join(dataDir, 'users.json'),
      settings.adminUsername,
      password,
    );
    const revocations = new Revocations(dataDir && join(dataDir, 'sessions.json'));
    return new AuthService(settings, users, revocations, sessionKeys(settings.sessionSecret, dataDir));
  }

  /** Lines for the start-up log. */
  warnings(): string[] {
    return this.settings.demoPassword
      ? [
          `auth: DEMO ONLY: admin "${this.settings.adminUsername}" signs in with the built-in demo password; ` +
            'set ADMIN_PASSWORD for anything but a local demo',
        ]
      : [];
  }

  async login(username: string, password: string, now = Date.now()): Promise<LoginResult> {
    const wait = this.throttle.blockedFor(username, now);
    if (wait > 0) {
      this.counters.throttled_logins++;
      return { ok: false, reason: 'throttled', retryAfterMs: wait };
    }
    const user = await this.users.verify(username, password);
    if (!user) {
      this.counters.failed_logins++;
      this.throttle.fail(username, now);
      return { ok: false, reason: 'bad_credentials' };
    }
    this.throttle.succeed(username);
    this.counters.logins++;
    const claims: SessionClaims = {
      sid: SessionTokens.newId(),
      sub: user.username,
      iat: now,
      exp: now + this.settings.sessionTtlMs,
      key: this.credentialKey(user),
    };
    const session = { id: claims.sid, username: claims.sub, expires_at: claims.exp };
    return {
      ok: true,
      token: this.tokens.sign(claims),
      session,
      role: user.role,
      permissions: permissionsOf(user.role),
    };
  }

  /** The principal behind a token, or undefined when it is forged, expired, signed out or its user changed. */
  authenticate(token: string, via: Principal['via'], now = Date.now()): Principal | undefined {
    const claims = this.valid(token, now);
    const user = claims && this.users.find(claims.sub);
    if (!claims || !user) return undefined;
    return { username: user.username, role: user.role, sessionId: claims.sid, expiresAt: claims.exp, via };
  }

  /** Signs the token's session out (here and, through the listeners, on every instance). */
  logout(token: string, now = Date.now()): boolean {
    const claims = this.valid(token, now);
    if (!claims) return false;
    this.record(this.revocations.revokeSession(claims, now), now);
    return true;
  }

  /** Removes a user and ends every session of theirs (their WebSockets close). */
  deleteUser(username: string): void {
    this.users.delete(username);
  }

  /** Calls `onEnd` once when the token's session ends (sign-out, expiry, its user deleted); returns the unsubscribe. */
  watchSession(token: string, onEnd: () => void): () => void {
    const claims = this.valid(token, Date.now());
    if (!claims) {
      onEnd();
      return () => undefined;
    }
    return this.watch.add(claims.sub, token, onEnd);
  }

  /** Called with every change made here, for the peers (server/src/cluster/cluster-auth.ts). */
  onChange(listener: (change: AuthChange) => void): void {
    this.listeners.push(listener);
  }

  /** Everything a peer needs to know: every user, tombstone and sign-out held here. */
  changes(): AuthChange[] {
    return [
      ...this.users.changes().map((user) => ({ kind: 'user' as const, user })),
      ...this.revocations.list().map((revocation) => ({ kind: 'revocation' as const, revocation })),
    ];
  }

  /** A peer's change; sessions it ends here close their WebSockets. Returns whether it changed anything. */
  apply(change: AuthChange, now = Date.now()): boolean {
    const changed =
      change.kind === 'user' ? this.users.apply(change.user) : this.revocations.add(change.revocation, now);
    const username = change.kind === 'user' ? change.user.username : change.revocation.sub;
    if (changed)
      this.watch.recheck(username, (token) => this.authenticate(token, 'bearer', now) !== undefined);
    return changed;
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }

  /** Forgets expired sign-outs and ends expired sessions' WebSockets; run every minute. */
  sweep(now = Date.now()): void {
    this.revocations.sweep(now);
    this.watch.recheck(undefined, (token) => this.authenticate(token, 'bearer', now) !== undefined);
  }

  private valid(token: string, now: number): SessionClaims | undefined {
    const claims = this.tokens.read(token);
    if (!claims || claims.exp <= now || this.revocations.isRevoked(claims)) return undefined;
    const user = this.users.find(claims.sub);
    return user && this.credentialKey(user) === claims.key ? claims : undefined;
  }

  private record(revocation: Revocation, now: number): void {
    this.watch.recheck(revocation.sub, (token) => this.authenticate(token, 'bearer', now) !== undefined);
    this.emit({ kind: 'revocation', revocation });
  }

  private emit(change: AuthChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** A digest of the user's credentials as they are now (see the top of this file). */
  private credentialKey(user: UserRecord): string {
    const env = user.username === this.users.adminUsername;
    const material = env
      ? `env\0${user.username}\0${this.settings.adminPassword ?? ''}`
      : `file\0${user.username}\0${user.password}`;
    const cached = this.credentialKeys.get(user.username);
    if (cached?.password === material) return cached.key;
    const key = this.tokens.digest(material);
    if (this.credentialKeys.size > 10_000) this.credentialKeys.clear();
    this.credentialKeys.set(user.username, { password: material, key });
    return key;
  }
}
