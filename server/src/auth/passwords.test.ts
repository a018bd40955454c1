import { describe, expect, it } from 'vitest';
import { DEFAULT_COST, hashPassword, parseHash, verifyPassword } from './passwords.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('salts every hash, verifies the right password and only it', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('uses the production cost by default and keeps the cost in the stored form', async () => {
    const stored = await hashPassword('a long enough secret');
    expect(parseHash(stored)?.cost).toEqual(DEFAULT_COST);
    expect(await verifyPassword('a long enough secret', stored)).toBe(true);
  });

  it('refuses hashes it did not write, and costs a tampered file could use to exhaust memory', async () => {
    const stored = await hashPassword('secret secret', FAST);
    const parts = stored.split('$');
    expect(parseHash('plain text')).toBeUndefined();
    expect(parseHash(['bcrypt', ...parts.slice(1)].join('$'))).toBeUndefined();
    expect(parseHash([parts[0], 2 ** 24, ...parts.slice(2)].join('$'))).toBeUndefined();
    expect(parseHash([parts[0], 1000, ...parts.slice(2)].join('$'))).toBeUndefined();
    expect(parseHash([...parts.slice(0, 5), 'c2hvcnQ'].join('$'))).toBeUndefined();
    expect(await verifyPassword('secret secret', 'scrypt$x')).toBe(false);
  });
});
