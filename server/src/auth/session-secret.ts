/**
 * The secret that signs session tokens: SESSION_SECRET, or for a single instance one generated
 * once and kept in DATA_DIR/session-secret (mode 0600), so that a restart signs nobody out. A
 * cluster must share one (settings refuse INGEST_SHARE_GROUP without it). Two keys are derived
 * from it with HKDF, one per use, so that neither use can stand in for the other: the token MAC,
 * and the cluster's exchange of users and sign-outs (server/src/cluster/cluster-auth.ts).
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { MIN_SESSION_SECRET_LENGTH } from './auth-settings.js';

export interface SessionKeys {
  /** HMAC-SHA256 key of the session tokens. */
  tokens: Buffer;
  /** AES-256-GCM key of the users and sign-outs exchanged between instances. */
  exchange: Buffer;
  /** Where the secret came from, for the start-up log. */
  source: 'SESSION_SECRET' | 'file' | 'memory';
}

const FILE = 'session-secret';

export function sessionKeys(configured: string | undefined, dataDir: string | undefined): SessionKeys {
  const [secret, source] =
    configured !== undefined
      ? [configured, 'SESSION_SECRET' as const]
      : dataDir === undefined
        ? [randomBytes(32).toString('base64url'), 'memory' as const]
        : [storedSecret(join(dataDir, FILE)), 'file' as const];
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', secret, 'kutaisi-telemetry', use, 32));
  return { tokens: derive('session tokens'), exchange: derive('cluster auth exchange'), source };
}

function storedSecret(path: string): string {
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length < MIN_SESSION_SECRET_LENGTH)
      throw new ConfigError(path, `expected a secret of at least ${MIN_SESSION_SECRET_LENGTH} characters`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  // `wx`: two processes starting at once on one folder never overwrite each other's secret.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return storedSecret(path);
    throw error;
  }
  return secret;
}
