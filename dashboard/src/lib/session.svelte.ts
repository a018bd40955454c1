/**
 * Who is signed in. The session token lives in an HttpOnly cookie the page cannot read: the
 * browser sends it with every same-origin request and WebSocket, so the page only asks the server
 * who it is (`/api/auth/me`), signs in and out, and tells the other stores when that changes.
 */
import type { Permission, Role } from '../../../server/src/auth/roles.js';
import { HttpStatusError, postJson } from './api.js';
import type { AuthConfig, LoginBody, LoginResponse, Me } from './api-types.js';

export type { Permission, Role };
export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';
export type LoginOutcome = 'ok' | 'bad_credentials' | 'throttled' | { error: string };
/** Why the page is signed out: the user signed out, the server ended the session, or the server could not be reached at start. */
export type SignOutReason = 'logout' | 'ended' | 'unreachable';

export class Session {
  status = $state<SessionStatus>('checking');
  user = $state.raw<Me | undefined>(undefined);
  /** Anonymous visitors may see the public indicators (portfolio `public:` section). */
  publicMode = $state(false);
  /** Demo mode only: the built-in credentials, shown on the login form. */
  demo = $state.raw<AuthConfig['demo']>(null);
  /** Set when a session ended under the user's feet (expiry, sign-out elsewhere). */
  ended = $state(false);
  onSignedIn: () => void = () => undefined;
  onSignedOut: (reason: SignOutReason) => void = () => undefined;
  /** Answers of the last check, for the offline note ("as of 09:40" when they came from the saved copy). */
  onAnswer: (response: Response) => void = () => undefined;

  can(permission: Permission): boolean {
    return this.user?.permissions.includes(permission) ?? false;
  }

  /** Asks the server; a network failure keeps the current state (the server may be restarting). */
  async check(): Promise<void> {
    try {
      const [me, config] = await Promise.all([fetch('/api/auth/me'), fetch('/api/auth/config')]);
      if (config.ok) {
        const body = (await config.json()) as AuthConfig;
        this.publicMode = body.public_mode;
        this.demo = body.demo;
      }
      this.onAnswer(me);
      if (me.ok) this.signedIn((await me.json()) as Me);
      else if (me.status === 401) this.signedOut(this.status === 'signed-in', 'ended');
    } catch {
      if (this.status === 'checking') this.signedOut(false, 'unreachable');
    }
  }

  async login(username: string, password: string): Promise<LoginOutcome> {
    try {
      const body = await postJson<LoginResponse>('/api/auth/login', {
        username,
        password,
      } satisfies LoginBody);
      this.ended = false;
      this.signedIn(body.user);
      return 'ok';
    } catch (error) {
      if (error instanceof HttpStatusError) {
        if (error.status === 401) return 'bad_credentials';
        if (error.status === 429) return 'throttled';
        return { error: error.body.message ?? `HTTP ${error.status}` };
      }
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async logout(): Promise<void> {
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    this.signedOut(false, 'logout');
  }

  private signedIn(user: Me): void {
    const changed = this.status !== 'signed-in' || this.user?.username !== user.username;
    this.user = user;
    this.status = 'signed-in';
    if (changed) this.onSignedIn();
  }

  private signedOut(ended: boolean, reason: SignOutReason): void {
    const changed = this.status !== 'signed-out';
    this.user = undefined;
    this.status = 'signed-out';
    this.ended = ended;
    if (changed || reason !== 'unreachable') this.onSignedOut(reason);
  }
}
