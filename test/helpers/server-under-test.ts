/** Starts the real server runtime in-process on loopback with its own data folder and topic root. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../server/src/auth/roles.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { startRuntime, type Runtime } from '../../server/src/runtime.js';
import { uniqueName } from './brokers.js';

/** The first admin's password in every test server (from ADMIN_PASSWORD, as in production). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface ServerUnderTest {
  runtime: Runtime;
  topicRoot: string;
  dataDir: string;
  /** GET as the admin, parsed as JSON. */
  get<T>(path: string): Promise<T>;
  /** fetch as the admin (or as `role`, a user created on first use), relative to the server. */
  fetch(path: string, init?: RequestInit, role?: Role): Promise<Response>;
  /** A session token of a user with this role. */
  tokenFor(role: Role): Promise<string>;
}

export async function startServerUnderTest(
  brokerUrl: string | undefined,
  env: Record<string, string> = {},
  portfolioPath = 'config/portfolio.yaml',
): Promise<ServerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-int-'));
  const topicRoot = `${uniqueName('t')}/v1`;
  const settings = loadSettings({
    PORT: '0',
    MQTT_EMBEDDED_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MQTT_CLIENT_ID: uniqueName('ingest'),
    MQTT_TOPIC_ROOT: topicRoot,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...(brokerUrl ? { MQTT_URL: brokerUrl } : {}),
    ...env,
  });
  const runtime = await startRuntime(
    settings,
    loadRegistry(portfolioPath),
    join(process.cwd(), 'dashboard/dist'),
  );
  const tokens = new Map<Role, Promise<string>>();
  const tokenFor = (role: Role): Promise<string> => {
    let token = tokens.get(role);
    if (!token) {
      token = userToken(runtime.httpUrl, role, () => tokenFor('admin'));
      tokens.set(role, token);
    }
    return token;
  };
  const authedFetch = async (path: string, init: RequestInit = {}, role: Role = 'admin') => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await tokenFor(role)}`);
    return fetch(`${runtime.httpUrl}${path}`, { ...init, headers });
  };
  return {
    runtime,
    topicRoot,
    dataDir,
    get: async <T>(path: string) => (await (await authedFetch(path)).json()) as T,
    fetch: authedFetch,
    tokenFor,
  };
}

export async function login(httpUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login as ${username}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The admin signs in from ADMIN_PASSWORD; other roles are users the admin creates through the API. */
async function userToken(httpUrl: string, role: Role, adminToken: () => Promise<string>): Promise<string> {
  if (role === 'admin') return login(httpUrl, 'admin', TEST_ADMIN_PASSWORD);
  const admin = await adminToken();
  const password = `${role}-test-password`;
  const created = await fetch(`${httpUrl}/api/auth/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ username: `test-${role}`, password, role }),
  });
  // 409: a peer in the same cluster created it already (instances share their users).
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`create a ${role}: HTTP ${created.status} ${await created.text()}`);
  return login(httpUrl, `test-${role}`, password);
}
