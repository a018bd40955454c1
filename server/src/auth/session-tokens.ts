/**
 * Session tokens any instance can check on its own: the claims in clear, then an HMAC-SHA256 of them
 * under the shared session key (session-secret.ts), compared in constant time.
 *
 *   s1~<sid>~<username>~<issued at, base 36 ms>~<expires at, base 36 ms>~<user key>.<mac>
 *
 * `sid` names the session (a sign-out revokes it: revocations.ts); `key` ties the token to the
 * user's credentials as they were at sign-in (auth-service.ts), so deleting a user, creating one
 * again under the same name or changing the admin's password ends their sessions everywhere. The
 * token stays under 200 characters (a Bearer header's limit here). Expiry is checked by the caller.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { USERNAME_PATTERN } from './user-store.js';

export interface SessionClaims {
  sid: string;
  sub: string;
  iat: number;
  exp: number;
  key: string;
}

const VERSION = 's1';
const ID = /^[A-Za-z0-9_-]{22}$/;
const TIME = /^[0-9a-z]{1,11}$/;
const MAC_LENGTH = 43;

export class SessionTokens {
  constructor(private readonly key: Buffer) {}

  /** A new session id: 16 random bytes. */
  static newId(): string {
    return randomBytes(16).toString('base64url');
  }

  sign(claims: SessionClaims): string {
    const body = [
      VERSION,
      claims.sid,
      claims.sub,
      claims.iat.toString(36),
      claims.exp.toString(36),
      claims.key,
    ].join('~');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a token this key signed; undefined for anything else. */
  read(token: string): SessionClaims | undefined {
    const dot = token.lastIndexOf('.');
    if (dot < 0 || token.length - dot - 1 !== MAC_LENGTH) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [version, sid, sub, iat, exp, key, ...rest] = body.split('~');
    if (version !== VERSION || rest.length > 0 || !sid || !sub || !iat || !exp || !key) return undefined;
    if (!ID.test(sid) || !ID.test(key) || !USERNAME_PATTERN.test(sub) || !TIME.test(iat) || !TIME.test(exp))
      return undefined;
    return { sid, sub, iat: parseInt(iat, 36), exp: parseInt(exp, 36), key };
  }

  /** A short keyed digest (22 characters), e.g. of a user's credentials. */
  digest(text: string): string {
    return createHmac('sha256', this.key)
      .update(`digest\0${text}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`token\0${body}`).digest('base64url');
  }
}
