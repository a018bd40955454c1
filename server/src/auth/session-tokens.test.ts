import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionTokens, type SessionClaims } from './session-tokens.js';

const claims: SessionClaims = {
  sid: SessionTokens.newId(),
  sub: 'nino.beridze-crew_2',
  iat: Date.UTC(2026, 10, 1),
  exp: Date.UTC(2026, 10, 1, 12),
  key: SessionTokens.newId(),
};

describe('session tokens', () => {
  const key = randomBytes(32);
  const tokens = new SessionTokens(key);

  it('carry their claims, signed, in a cookie- and header-safe string under 200 characters', () => {
    const token = tokens.sign(claims);
    expect(token).toMatch(/^s1~[A-Za-z0-9_~.-]+\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.read(token)).toEqual(claims);
    // The longest user name allowed still fits the Bearer limit.
    expect(tokens.sign({ ...claims, sub: 'a'.repeat(64) }).length).toBeLessThanOrEqual(200);
    // Another instance with the same key reads it; one with another key does not.
    expect(new SessionTokens(Buffer.from(key)).read(token)).toEqual(claims);
    expect(new SessionTokens(randomBytes(32)).read(token)).toBeUndefined();
  });

  it('refuse any change to the claims or the signature, and anything that is not a token', () => {
    const token = tokens.sign(claims);
    const [body, mac] = token.split(/\.(?=[^.]*$)/) as [string, string];
    const tampered = [
      `${body.replace('nino.beridze-crew_2', 'admin')}.${mac}`,
      `${body.replace(claims.exp.toString(36), (claims.exp + 1).toString(36))}.${mac}`,
      `${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${body}.${mac.slice(0, -1)}`,
      body,
      '',
      'short',
      `${body}~extra.${mac}`,
    ];
    for (const t of tampered) expect(tokens.read(t), t).toBeUndefined();
  });

  it('refuse well-signed bodies that are not well-formed claims', () => {
    const sign = (body: string) => `${body}.${(tokens as unknown as { mac(b: string): string }).mac(body)}`;
    expect(tokens.read(sign(`s1~${claims.sid}~Admin~1~2~${claims.key}`))).toBeUndefined();
    expect(tokens.read(sign(`s2~${claims.sid}~nino~1~2~${claims.key}`))).toBeUndefined();
    expect(tokens.read(sign(`s1~short~nino~1~2~${claims.key}`))).toBeUndefined();
    expect(tokens.read(sign(`s1~${claims.sid}~nino~1~2~${claims.key}`))).toMatchObject({
      sub: 'nino',
      iat: 1,
      exp: 2,
    });
  });
});
