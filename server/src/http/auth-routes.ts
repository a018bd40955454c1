/**
 * Signing in and out: `POST /api/auth/login` answers a session token in an HttpOnly cookie (for
 * the dashboard) and in the body (for API clients: `Authorization: Bearer <token>`);
 * `POST /api/auth/logout`, `GET /api/auth/me`, and `GET /api/auth/config` for the login page.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthConfig, LoginBody, LoginResponse, Me } from '../contract/api/auth.js';
import { DEMO_ADMIN_PASSWORD, type SecuritySettings } from '../auth/auth-settings.js';
import type { AuthService } from '../auth/auth-service.js';
import type { PublicView } from '../auth/public-view.js';
import { permissionsOf } from '../auth/roles.js';
import { clearSessionCookie, requestToken, setSessionCookie } from './credentials.js';
import { HttpError } from './errors.js';

export function authRoutes(
  auth: AuthService,
  publicView: PublicView,
  security: SecuritySettings,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/auth/config',
      {
        schema: {
          tags: ['auth'],
          description:
            'What the login page needs: whether public mode is on, and the demo credentials in demo mode.',
          response: { 200: AuthConfig },
        },
      },
      async () => ({
        public_mode: publicView.enabled,
        // Only the built-in demo password, which the README prints anyway; never a configured one.
        demo: auth.settings.demoPassword
          ? { username: auth.settings.adminUsername, password: DEMO_ADMIN_PASSWORD }
          : null,
      }),
    );

    app.post(
      '/api/auth/login',
      {
        bodyLimit: 4096,
        config: { rateLimit: { max: security.loginRateLimitMax, timeWindow: 60_000 } },
        schema: {
          tags: ['auth'],
          description:
            'Sign in. The token comes back in an HttpOnly cookie and in the body; send it as `Authorization: Bearer <token>`.',
          body: LoginBody,
          response: { 200: LoginResponse },
        },
      },
      async (request, reply) => {
        const result = await auth.login(request.body.username, request.body.password);
        if (!result.ok && result.reason === 'throttled') {
          void reply.header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
          throw new HttpError(
            429,
            'too_many_failures',
            'too many failed sign-ins for this name: try again later',
          );
        }
        if (!result.ok) {
          request.log.warn(
            { ip: request.ip, failed_logins: auth.counters.failed_logins },
            'auth: failed sign-in',
          );
          throw new HttpError(401, 'bad_credentials', 'wrong username or password');
        }
        const { token, session } = result;
        setSessionCookie(reply, request, auth.settings, token, Math.floor(auth.settings.sessionTtlMs / 1000));
        return {
          token,
          expires_at: session.expires_at,
          user: {
            username: session.username,
            role: result.role,
            permissions: [...result.permissions],
            expires_at: session.expires_at,
          },
        };
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], description: 'Ends the session of the token sent (cookie or Bearer).' } },
      async (request, reply) => {
        const credential = requestToken(request);
        if (credential) auth.logout(credential.token);
        clearSessionCookie(reply, request, auth.settings);
        return reply.status(204).send();
      },
    );

    app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (request) => {
      const me = request.principal;
      if (!me) throw new HttpError(401, 'unauthorized', 'sign in first');
      return {
        username: me.username,
        role: me.role,
        permissions: [...permissionsOf(me.role)],
        expires_at: me.expiresAt,
      };
    });
  };
}
