import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthService } from '../auth/auth-service.js';
import { loadSettings } from '../config/settings.js';
import { ClusterAuth } from './cluster-auth.js';

const SECRET = 'cluster-auth-test-secret-32-characters';

/** A broker's retained store, enough for these tests: a publish reaches every other member, and a member that subscribes gets what is retained. */
class RetainedBroker {
  readonly retained = new Map<string, Buffer>();
  private readonly members = new Set<ClusterAuth>();
  link(self: () => ClusterAuth) {
    return {
      publishRetained: (suffix: string, payload: Buffer) => {
        if (payload.length === 0) this.retained.delete(suffix);
        else this.retained.set(suffix, payload);
        for (const member of this.members) if (member !== self()) member.onMessage(suffix, payload);
      },
      warn: () => undefined,
    };
  }
  join(member: ClusterAuth): void {
    this.members.add(member);
    member.onConnected();
    for (const [suffix, payload] of this.retained) member.onMessage(suffix, payload);
    member.onSubscribed();
  }
}

async function instance(broker: RetainedBroker, secret = SECRET) {
  const auth = await AuthService.open(
    loadSettings({ ADMIN_PASSWORD: 'cluster-auth-password', SESSION_SECRET: secret }).auth,
    undefined,
  );
  const sync: ClusterAuth = new ClusterAuth(
    auth,
    broker.link(() => sync),
  );
  return { auth, sync };
}

async function token(auth: AuthService, username: string, password: string): Promise<string> {
  const result = await auth.login(username, password);
  if (!result.ok) throw new Error('sign-in failed');
  return result.token;
}

describe('users and sign-outs shared through the broker', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('gives every instance, early or late, the users, and ends a signed-out session everywhere', async () => {
    const broker = new RetainedBroker();
    const a = await instance(broker);
    const b = await instance(broker);
    broker.join(a.sync);
    broker.join(b.sync);
    await a.auth.users.create('nino', 'nino-password-1', 'operator');
    const session = await token(b.auth, 'nino', 'nino-password-1');
    expect(a.auth.authenticate(session, 'cookie')?.username).toBe('nino');
    // The broker holds a sealed copy: no password hash in clear.
    expect([...broker.retained.values()].some((p) => p.toString('latin1').includes('scrypt'))).toBe(false);

    expect(a.auth.logout(session)).toBe(true);
    expect(b.auth.authenticate(session, 'cookie')).toBeUndefined();

    const late = await instance(broker);
    broker.join(late.sync);
    await vi.advanceTimersByTimeAsync(1_000);
    await late.sync.synced;
    expect(late.auth.users.find('nino')?.role).toBe('operator');
    expect(late.auth.authenticate(session, 'bearer')).toBeUndefined();
    expect(late.auth.authenticate(await token(a.auth, 'nino', 'nino-password-1'), 'bearer')?.role).toBe(
      'operator',
    );
    for (const i of [a, b, late]) i.auth.close();
  });

  it('refuses what another secret sealed, or a message moved to another topic, and counts it', async () => {
    const broker = new RetainedBroker();
    const a = await instance(broker);
    const stranger = await instance(broker, `${SECRET}-another`);
    broker.join(a.sync);
    broker.join(stranger.sync);
    await stranger.auth.users.create('intruder', 'intruder-password', 'admin');
    expect(a.auth.users.find('intruder')).toBeUndefined();
    expect(a.sync.counters.rejected).toBe(1);

    await a.auth.users.create('tamar', 'tamar-password-1', 'viewer');
    const sealed = broker.retained.get('auth/users/tamar') as Buffer;
    a.sync.onMessage('auth/users/admin2', sealed);
    expect(a.sync.counters.rejected).toBe(2);
    a.auth.close();
    stranger.auth.close();
  });

  it('puts back what a broker restarted without persistence lost, and clears expired sign-outs', async () => {
    const broker = new RetainedBroker();
    const a = await instance(broker);
    broker.join(a.sync);
    await a.auth.users.create('nino', 'nino-password-1', 'operator');
    a.auth.logout(await token(a.auth, 'nino', 'nino-password-1'));
    expect([...broker.retained.keys()].sort()).toEqual(
      ['auth/users/nino', expect.stringMatching(/^auth\/revoked\//) as string].sort(),
    );

    broker.retained.clear();
    broker.join(a.sync);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(broker.retained.size).toBe(2);

    // A sign-out whose token has expired is cleared by whoever reads it.
    const [suffix, payload] = [...broker.retained].find(([key]) => key.startsWith('auth/revoked/')) as [
      string,
      Buffer,
    ];
    const b = await instance(broker);
    broker.join(b.sync);
    b.sync.onMessage(suffix, payload, Date.now() + 13 * 3_600_000);
    expect(broker.retained.has(suffix)).toBe(false);
    a.auth.close();
    b.auth.close();
  });
});
