/**
 * Settings of sign-in and HTTP hardening, from the environment (docs/security.md). Read by
 * loadSettings; the check that an admin password exists happens when the auth service opens, so
 * tests that only need store or broker settings do not have to invent one.
 */
import { ConfigError } from '../config/config-error.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js';
import { USERNAME_PATTERN } from './user-store.js';

/** DEMO-ONLY: the admin password of `npm run demo` when ADMIN_PASSWORD is not set. Public knowledge. */
export const DEMO_ADMIN_PASSWORD = 'kutaisi-demo';

export interface AuthSettings {
  adminUsername: string;
  /** Undefined: not configured (start-up refuses unless DEMO). */
  adminPassword: string | undefined;
  /** The password in use is DEMO_ADMIN_PASSWORD. */
  demoPassword: boolean;
  sessionTtlMs: number;
  /**
   * Signs the session tokens (SESSION_SECRET). Undefined: a secret generated once and kept in
   * DATA_DIR (one instance only; a cluster must share one, so there it is required).
   */
  sessionSecret: string | undefined;
  /** Secure cookie attribute: always, never, or when the request came over https. */
  cookieSecure: boolean | 'auto';
}

/** A shorter SESSION_SECRET is refused: it must be as hard to guess as the 32 random bytes generated without one. */
export const MIN_SESSION_SECRET_LENGTH = 32;

export interface SecuritySettings {
  /** Trust X-Forwarded-For/-Proto from a reverse proxy (client address for rate limits, https for cookies). */
  trustProxy: boolean;
  /** Origins allowed to call the API from another site; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** Requests per minute per client address; 0 turns the limit off. */
  rateLimitMax: number;
  /** Sign-in attempts per minute per client address. */
  loginRateLimitMax: number;
}

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string) => (env[name] === '' ? undefined : env[name]);

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(raw: string, name: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

/** `clustered`: INGEST_SHARE_GROUP is set, so the instances must share SESSION_SECRET. */
export function loadAuthSettings(env: Env, demo: boolean, clustered = false): AuthSettings {
  const adminUsername = value(env, 'ADMIN_USERNAME') ?? 'admin';
  if (!USERNAME_PATTERN.test(adminUsername))
    throw new ConfigError(
      'ADMIN_USERNAME',
      `expected a name matching ${USERNAME_PATTERN.source}, got "${adminUsername}"`,
    );
  const password = value(env, 'ADMIN_PASSWORD');
  if (
    password !== undefined &&
    (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
  )
    throw new ConfigError(
      'ADMIN_PASSWORD',
      `expected ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, got ${password.length}`,
    );
  const secure = value(env, 'COOKIE_SECURE') ?? 'auto';
  const sessionSecret = value(env, 'SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < MIN_SESSION_SECRET_LENGTH)
    throw new ConfigError(
      'SESSION_SECRET',
      `expected at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. openssl rand -base64 32), got ${sessionSecret.length}`,
    );
  if (sessionSecret === undefined && clustered)
    throw new ConfigError(
      'SESSION_SECRET',
      'required with INGEST_SHARE_GROUP: every instance must sign and check sessions with the same secret (e.g. openssl rand -base64 32)',
    );
  return {
    adminUsername,
    adminPassword: password ?? (demo ? DEMO_ADMIN_PASSWORD : undefined),
    demoPassword: password === undefined && demo,
    sessionTtlMs: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3_600_000,
    sessionSecret,
    cookieSecure: secure.toLowerCase() === 'auto' ? 'auto' : bool(secure, 'COOKIE_SECURE'),
  };
}

export function loadSecuritySettings(env: Env): SecuritySettings {
  const origins = (value(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin))
      throw new ConfigError(
        'CORS_ORIGINS',
        `expected origins such as https://city.example.ge, got "${origin}"`,
      );
  }
  const trust = value(env, 'TRUST_PROXY');
  return {
    trustProxy: trust === undefined ? false : bool(trust, 'TRUST_PROXY'),
    corsOrigins: origins,
    rateLimitMax: integer(env, 'RATE_LIMIT_MAX', 1200, 0, 1_000_000),
    loginRateLimitMax: integer(env, 'LOGIN_RATE_LIMIT_MAX', 10, 1, 10_000),
  };
}

/** The secure default: no built-in password outside the demo. */
export function requireAdminPassword(settings: AuthSettings): string {
  if (settings.adminPassword === undefined)
    throw new ConfigError(
      'ADMIN_PASSWORD',
      `required: the password of the first admin "${settings.adminUsername}" (at least ${MIN_PASSWORD_LENGTH} characters); DEMO=1 uses a demo-only default`,
    );
  return settings.adminPassword;
}
