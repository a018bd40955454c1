/** buildApp over an empty in-memory store, with settings from `env`: for route and security tests (app.inject). */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { AuthService } from '../auth/auth-service.js';
import { loadRegistry } from '../config/portfolio.js';
import { loadSettings } from '../config/settings.js';
import { DeadLetters } from '../ingest/dead-letters.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { DeviceTracker } from '../live/device-tracker.js';
import type { TelemetryStore } from '../store/port.js';

export const TEST_PASSWORD = 'unit-test-password';

export async function testApp(
  env: Record<string, string> = {},
  logger: boolean | Record<string, unknown> = false,
): Promise<{ app: FastifyInstance; auth: AuthService }> {
  const settings = loadSettings({ ADMIN_PASSWORD: TEST_PASSWORD, ...env });
  const registry = loadRegistry('config/portfolio.yaml');
  const auth = await AuthService.open(settings.auth, undefined);
  const app = await buildApp(
    {
      settings,
      registry,
      // These tests never reach the store.
      store: { health: () => 'ok' } as unknown as TelemetryStore,
      stats: new IngestStats(undefined),
      deadLetters: new DeadLetters(undefined, 10),
      tracker: new DeviceTracker(registry),
      ingest: { brokerConnected: () => true, pending: () => 0, storeRetrying: () => false },
      startedAt: Date.now(),
      auth,
      dashboardDir: 'dashboard',
    },
    logger,
  );
  return { app, auth };
}

export async function adminToken(app: FastifyInstance): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  return response.json<{ token: string }>().token;
}
