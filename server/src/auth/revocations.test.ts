import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Revocations } from './revocations.js';
import { SessionTokens, type SessionClaims } from './session-tokens.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);
const session = (sub: string, iat = T0): SessionClaims => ({
  sid: SessionTokens.newId(),
  sub,
  iat,
  exp: iat + 12 * HOUR,
  key: SessionTokens.newId(),
});

describe('sign-outs', () => {
  it('refuse a signed-out session until it would have expired, across a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-revocations-')), 'sessions.json');
    const list = new Revocations(path, T0);
    const out = session('nino');
    const other = session('nino');
    expect(list.revokeSession(out, T0 + HOUR)).toEqual({ sid: out.sid, sub: 'nino', exp: out.exp });
    expect(list.isRevoked(out)).toBe(true);
    expect(list.isRevoked(other)).toBe(false);
    expect(readFileSync(path, 'utf8')).not.toContain(out.key);

    const reopened = new Revocations(path, T0 + 2 * HOUR);
    expect(reopened.isRevoked(out)).toBe(true);
    // Once the token has expired anyway, the entry goes.
    expect(reopened.sweep(out.exp)).toBe(1);
    expect(reopened.size).toBe(0);
    expect(new Revocations(path, out.exp).size).toBe(0);
  });

  it('past 100 sign-outs of one user, sign out every session of theirs issued so far (bounded)', () => {
    const list = new Revocations(undefined, T0);
    const earlier = session('busy', T0);
    for (let i = 0; i < 100; i++) list.revokeSession(session('busy', T0 + i), T0 + HOUR);
    expect(list.size).toBe(100);
    expect(list.isRevoked(earlier)).toBe(false);
    const last = list.revokeSession(session('busy', T0 + 200), T0 + HOUR);
    expect(last).toMatchObject({ sub: 'busy', before: T0 + HOUR + 1 });
    expect(list.size).toBe(1);
    expect(list.isRevoked(earlier)).toBe(true);
    expect(list.isRevoked(session('busy', T0 + 2 * HOUR))).toBe(false);
    expect(list.isRevoked(session('someone-else', T0))).toBe(false);
  });

  it('add a peer’s revocation once, ignore expired ones, and skip damaged or old-format files', () => {
    const list = new Revocations(undefined, T0);
    const s = session('tamar');
    expect(list.add({ sid: s.sid, sub: 'tamar', exp: s.exp }, T0)).toBe(true);
    expect(list.add({ sid: s.sid, sub: 'tamar', exp: s.exp }, T0)).toBe(false);
    expect(list.add({ sid: SessionTokens.newId(), sub: 'tamar', exp: T0 - 1 }, T0)).toBe(false);
    const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-revocations-')), 'sessions.json');
    writeFileSync(
      path,
      JSON.stringify({ version: 1, sessions: [{ id: 'x', username: 'a', expires_at: T0 + HOUR }] }),
    );
    expect(new Revocations(path, T0).size).toBe(0);
    writeFileSync(
      path,
      JSON.stringify({ version: 2, revoked: [{ sid: 'bad', sub: 'a', exp: T0 + HOUR }, null] }),
    );
    expect(new Revocations(path, T0).size).toBe(0);
  });
});
