import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.js';
import { AuthService, type AuthChange } from './auth-service.js';

const SECRET = 'a-shared-session-secret-of-32-characters!';
const settings = (env: Record<string, string> = {}) =>
  loadSettings({ ADMIN_PASSWORD: 'auth-service-password', SESSION_SECRET: SECRET, ...env }).auth;
const folder = () => mkdtempSync(join(tmpdir(), 'kutaisi-auth-'));

async function signIn(auth: AuthService, username: string, password: string): Promise<string> {
  const result = await auth.login(username, password);
  if (!result.ok) throw new Error(`sign-in of ${username} failed`);
  return result.token;
}

/** Two instances that pass every change to each other, as the cluster exchange does. */
async function pair(): Promise<[AuthService, AuthService]> {
  const a = await AuthService.open(settings(), folder());
  const b = await AuthService.open(settings(), folder());
  const relay = (from: AuthService, to: AuthService) =>
    from.onChange((change: AuthChange) => to.apply(change));
  relay(a, b);
  relay(b, a);
  return [a, b];
}

describe('auth service', () => {
  it('accepts on one instance a session another issued, and refuses it everywhere once signed out', async () => {
    const [a, b] = await pair();
    const token = await signIn(a, 'admin', 'auth-service-password');
    expect(b.authenticate(token, 'cookie')).toMatchObject({
      username: 'admin',
      role: 'admin',
      via: 'cookie',
    });
    const ended: string[] = [];
    b.watchSession(token, () => ended.push('socket on b'));
    expect(a.logout(token)).toBe(true);
    expect(a.authenticate(token, 'bearer')).toBeUndefined();
    expect(b.authenticate(token, 'bearer')).toBeUndefined();
    expect(ended).toEqual(['socket on b']);
    // Another secret accepts none of it.
    const other = await AuthService.open(settings({ SESSION_SECRET: `${SECRET}-other` }), undefined);
    expect(other.authenticate(await signIn(a, 'admin', 'auth-service-password'), 'bearer')).toBeUndefined();
    for (const auth of [a, b, other]) auth.close();
  });

  it('ends a user’s sessions everywhere when the user is deleted, and old tokens stay dead if the name is created again', async () => {
    const [a, b] = await pair();
    await a.users.create('nino', 'nino-password-1', 'operator');
    expect(b.users.find('nino')?.role).toBe('operator');
    const token = await signIn(b, 'nino', 'nino-password-1');
    expect(a.authenticate(token, 'bearer')?.username).toBe('nino');
    const ended: string[] = [];
    a.watchSession(token, () => ended.push('a'));
    b.deleteUser('nino');
    expect(a.users.find('nino')).toBeUndefined();
    expect(a.authenticate(token, 'bearer')).toBeUndefined();
    expect(ended).toEqual(['a']);
    // A peer's older copy of the user does not bring it back.
    const stale = {
      kind: 'user' as const,
      user: { ...(b.changes()[0] as { user: object }).user, updated_at: 1 },
    };
    expect(a.apply(stale as AuthChange)).toBe(false);
    // The same name again (a password change is a delete and a create): the old token is not hers any more.
    await a.users.create('nino', 'nino-password-2', 'viewer');
    expect(b.authenticate(token, 'bearer')).toBeUndefined();
    expect(b.authenticate(await signIn(b, 'nino', 'nino-password-2'), 'bearer')?.role).toBe('viewer');
    a.close();
    b.close();
  });

  it('ends the first admin’s sessions when ADMIN_PASSWORD changes, and keeps them across a restart otherwise', async () => {
    const dataDir = folder();
    const first = await AuthService.open(settings(), dataDir);
    const token = await signIn(first, 'admin', 'auth-service-password');
    first.close();
    const restarted = await AuthService.open(settings(), dataDir);
    expect(restarted.authenticate(token, 'bearer')?.username).toBe('admin');
    const changed = await AuthService.open(settings({ ADMIN_PASSWORD: 'a-new-admin-password' }), dataDir);
    expect(changed.authenticate(token, 'bearer')).toBeUndefined();
    restarted.close();
    changed.close();
  });

  it('without SESSION_SECRET, signs with a secret generated once in DATA_DIR (owner-only)', async () => {
    const dataDir = folder();
    const own = () => loadSettings({ ADMIN_PASSWORD: 'auth-service-password' }).auth;
    const first = await AuthService.open(own(), dataDir);
    expect(first.keys.source).toBe('file');
    const token = await signIn(first, 'admin', 'auth-service-password');
    expect(statSync(join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
    const again = await AuthService.open(own(), dataDir);
    expect(again.authenticate(token, 'bearer')?.username).toBe('admin');
    // Another instance's folder holds another secret.
    expect((await AuthService.open(own(), folder())).authenticate(token, 'bearer')).toBeUndefined();
    first.close();
    again.close();
  });

  it('refuses expired and forged tokens, and closes a watched socket when its session expires', async () => {
    const auth = await AuthService.open(settings({ SESSION_TTL_HOURS: '1' }), undefined);
    const now = Date.now();
    const result = await auth.login('admin', 'auth-service-password', now);
    if (!result.ok) throw new Error('sign-in failed');
    const ended: string[] = [];
    auth.watchSession(result.token, () => ended.push('expired'));
    auth.sweep(now + 3_600_000 - 1);
    expect(ended).toEqual([]);
    auth.sweep(now + 3_600_000);
    expect(ended).toEqual(['expired']);
    expect(auth.authenticate(result.token, 'bearer', now + 3_600_000)).toBeUndefined();
    expect(auth.authenticate(`${result.token.slice(0, -2)}AA`, 'bearer', now)).toBeUndefined();
    expect(auth.logout('not-a-token')).toBe(false);
    auth.close();
  });
});
