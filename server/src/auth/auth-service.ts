/**
 * Sign-in, sessions and who may do what: the users, the sessions, the per-name login throttle and
 * the counters, behind one object that buildApp and the routes share.
 */
import { join } from 'node:path';
import { requireAdminPassword, type AuthSettings } from './auth-settings.js';
import { LoginThrottle } from './login-throttle.js';
import { permissionsOf, type Permission, type Role } from './roles.js';
import { SessionStore, type Session } from './sessions.js';
import { UserStore } from './user-store.js';

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

export type LoginResult =
  | { ok: true; token: string; session: Session; role: Role; permissions: readonly Permission[] }
  | { ok: false; reason: 'bad_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export class AuthService {
  readonly counters: AuthCounters = {
    logins: 0,
    failed_logins: 0,
    throttled_logins: 0,
    denied: 0,
    unauthenticated: 0,
  };
  private readonly throttle = new LoginThrottle();
  private readonly sweepTimer: NodeJS.Timeout;

  private constructor(
    readonly settings: AuthSettings,
    readonly users: UserStore,
    readonly sessions: SessionStore,
  ) {
    this.sweepTimer = setInterval(() => this.sessions.sweep(), 60_000);
    this.sweepTimer.unref();
  }

  /** `dataDir` undefined keeps users and sessions in memory (tests). Throws ConfigError without ADMIN_PASSWORD. */
  static async open(settings: AuthSettings, dataDir: string | undefined): Promise<AuthService> {
    const password = requireAdminPassword(settings);
    const users = await UserStore.open(
      dataDir && join(dataDir, 'users.json'),
      settings.adminUsername,
      password,
    );
    const sessions = new SessionStore(dataDir && join(dataDir, 'sessions.json'), settings.sessionTtlMs);
    return new AuthService(settings, users, sessions);
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
    const { token, session } = this.sessions.create(user.username, now);
    return { ok: true, token, session, role: user.role, permissions: permissionsOf(user.role) };
  }

  /** The principal behind a token, or undefined when it is unknown, expired or its user is gone. */
  authenticate(token: string, via: Principal['via'], now = Date.now()): Principal | undefined {
    const session = this.sessions.find(token, now);
    if (!session) return undefined;
    const user = this.users.find(session.username);
    if (!user) return undefined;
    return {
      username: user.username,
      role: user.role,
      sessionId: session.id,
      expiresAt: session.expires_at,
      via,
    };
  }

  logout(token: string): boolean {
    return this.sessions.revoke(token);
  }

  /** Removes a user and ends every session of theirs (their WebSockets close). */
  deleteUser(username: string): void {
    this.users.delete(username);
    this.sessions.revokeUser(username);
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }
}
