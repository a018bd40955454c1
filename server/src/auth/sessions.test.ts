import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken, SessionStore } from './sessions.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

describe('sessions', () => {
  it('hands out 32-byte random tokens and keeps only their hash, also on disk across a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-sessions-')), 'sessions.json');
    const store = new SessionStore(path, 12 * HOUR, T0);
    const { token, session } = store.create('nino', T0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(store.create('nino', T0).token).not.toBe(token);
    expect(session).toMatchObject({ id: hashToken(token), username: 'nino', expires_at: T0 + 12 * HOUR });
    const file = readFileSync(path, 'utf8');
    expect(file).not.toContain(token);
    expect(file).toContain(hashToken(token));

    const reopened = new SessionStore(path, 12 * HOUR, T0 + HOUR);
    expect(reopened.find(token, T0 + HOUR)?.username).toBe('nino');
    expect(reopened.find(`${token.slice(0, -1)}A`, T0 + HOUR)).toBeUndefined();
    expect(reopened.find('short', T0 + HOUR)).toBeUndefined();
  });

  it('expires sessions, and tells watchers when a session ends by expiry, sign-out or removal of the user', () => {
    const store = new SessionStore(undefined, HOUR, T0);
    const a = store.create('a', T0);
    const b = store.create('b', T0 + 30 * 60_000);
    const c = store.create('c', T0);
    const ended: string[] = [];
    store.watch(a.session.id, () => ended.push('a'));
    store.watch(b.session.id, () => ended.push('b'));
    const unwatch = store.watch(c.session.id, () => ended.push('c'));
    unwatch();

    expect(store.find(a.token, T0 + HOUR - 1)).toBeDefined();
    expect(store.sweep(T0 + HOUR)).toBe(2);
    expect(ended).toEqual(['a']);
    expect(store.find(a.token, T0 + HOUR)).toBeUndefined();
    expect(store.revoke(b.token)).toBe(true);
    expect(store.revoke(b.token)).toBe(false);
    expect(ended).toEqual(['a', 'b']);

    const d1 = store.create('d', T0 + HOUR);
    const d2 = store.create('d', T0 + HOUR);
    expect(store.revokeUser('d')).toBe(2);
    expect(store.find(d1.token, T0 + HOUR)).toBeUndefined();
    expect(store.find(d2.token, T0 + HOUR)).toBeUndefined();
  });

  it('keeps at most 20 sessions per user, ending the oldest', () => {
    const store = new SessionStore(undefined, HOUR, T0);
    const tokens = Array.from({ length: 25 }, (_, i) => store.create('busy', T0 + i).token);
    expect(store.size).toBe(20);
    expect(store.find(tokens[0] as string, T0 + 30)).toBeUndefined();
    expect(store.find(tokens[24] as string, T0 + 30)).toBeDefined();
  });
});
