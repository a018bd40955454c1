import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { UserError, UserStore, isUserChange, type UserChange } from './user-store.js';

const folder = () => mkdtempSync(join(tmpdir(), 'kutaisi-users-'));

describe('user store', () => {
  it('has the admin from the environment, never on disk, and keeps created users hashed across a restart', async () => {
    const path = join(folder(), 'users.json');
    const store = await UserStore.open(path, 'admin', 'env-admin-password');
    expect(store.list()).toEqual([{ username: 'admin', role: 'admin', created_at: null, source: 'env' }]);
    expect((await store.verify('admin', 'env-admin-password'))?.role).toBe('admin');
    expect(await store.verify('admin', 'env-admin-passwore')).toBeUndefined();

    await store.create('nino', 'nino-secret-123', 'operator', 1_000);
    const file = readFileSync(path, 'utf8');
    expect(file).not.toContain('nino-secret-123');
    expect(file).not.toContain('env-admin-password');
    expect(file).not.toMatch(/"admin"/);
    expect(file).toMatch(/"password": "scrypt\$/);

    const reopened = await UserStore.open(path, 'admin', 'env-admin-password');
    expect(reopened.list().map((u) => [u.username, u.role, u.source])).toEqual([
      ['admin', 'admin', 'env'],
      ['nino', 'operator', 'file'],
    ]);
    expect((await reopened.verify('nino', 'nino-secret-123'))?.role).toBe('operator');
    // An unknown name is refused, even with the admin's password (it is checked against that hash).
    expect(await reopened.verify('ghost', 'env-admin-password')).toBeUndefined();
  });

  it('refuses duplicates, deleting the environment admin, and unknown names', async () => {
    const store = await UserStore.open(undefined, 'admin', 'env-admin-password');
    await store.create('tamar', 'tamar-secret-12', 'viewer');
    await expect(store.create('tamar', 'another-secret', 'admin')).rejects.toThrow(UserError);
    await expect(store.create('admin', 'another-secret', 'viewer')).rejects.toThrow(/already exists/);
    expect(() => store.delete('admin')).toThrow(expect.objectContaining({ code: 'reserved' }) as Error);
    expect(() => store.delete('ghost')).toThrow(expect.objectContaining({ code: 'not_found' }) as Error);
    store.delete('tamar');
    expect(store.find('tamar')).toBeUndefined();
  });

  it('stops start-up naming the entry of a damaged users file', async () => {
    const path = join(folder(), 'users.json');
    writeFileSync(
      path,
      JSON.stringify({ users: [{ username: 'x', role: 'superuser', password: 'scrypt$1' }] }),
    );
    await expect(UserStore.open(path, 'admin', 'env-admin-password')).rejects.toThrow(
      new ConfigError(`${path}:/users/0/role`, 'expected viewer, analyst, operator or admin'),
    );
    writeFileSync(path, '{ not json');
    await expect(UserStore.open(path, 'admin', 'env-admin-password')).rejects.toThrow(/expected JSON/);
  });

  it('keeps a tombstone of a deleted user, across a restart, so that a peer’s older copy cannot bring it back', async () => {
    const path = join(folder(), 'users.json');
    const store = await UserStore.open(path, 'admin', 'env-admin-password');
    const changes: UserChange[] = [];
    store.onChange((change) => changes.push(change));
    await store.create('nino', 'nino-secret-123', 'operator', 1_000);
    const copy = changes[0] as UserChange;
    store.delete('nino', 2_000);
    expect(changes[1]).toEqual({ username: 'nino', deleted: true, updated_at: 2_000 });
    const reopened = await UserStore.open(path, 'admin', 'env-admin-password');
    expect(reopened.apply(copy)).toBe(false);
    expect(reopened.find('nino')).toBeUndefined();
    expect(reopened.list().map((u) => u.username)).toEqual(['admin']);
    // A newer version from a peer wins; the environment's admin is never replaced.
    expect(reopened.apply({ ...copy, updated_at: 3_000 })).toBe(true);
    expect(reopened.find('nino')?.role).toBe('operator');
    expect(reopened.apply({ ...copy, username: 'admin', role: 'admin', updated_at: 4_000 })).toBe(false);
    // Deleted here after a peer's later version: the tombstone is still strictly newer.
    reopened.delete('nino', 2_500);
    expect(reopened.versionOf('nino')).toBe(3_001);
  });

  it('checks a peer’s user change like a line of users.json', async () => {
    const store = await UserStore.open(undefined, 'admin', 'env-admin-password');
    await store.create('tamar', 'tamar-secret-12', 'viewer', 5);
    const [record] = store.changes();
    expect(isUserChange(record)).toBe(true);
    expect(isUserChange({ username: 'x', deleted: true, updated_at: 1 })).toBe(true);
    expect(isUserChange({ ...record, role: 'root' })).toBe(false);
    expect(isUserChange({ ...record, password: 'plain' })).toBe(false);
    expect(isUserChange({ ...record, username: 'A/B' })).toBe(false);
    expect(isUserChange(null)).toBe(false);
  });
});
