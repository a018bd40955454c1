/** Users, for admins: list, create with a role, delete (which ends their sessions); sign-in counters. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthStats, CreateUserBody, User, UserList, UserParams } from '../contract/api/auth.js';
import type { AuthService } from '../auth/auth-service.js';
import { UserError } from '../auth/user-store.js';
import { HttpError } from './errors.js';

const STATUS: Record<UserError['code'], number> = { exists: 409, not_found: 404, reserved: 409 };
const userError = (error: unknown) =>
  error instanceof UserError ? new HttpError(STATUS[error.code], error.code, error.message) : error;

export function userRoutes(auth: AuthService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/auth/users', { schema: { tags: ['auth'], response: { 200: UserList } } }, async () =>
      auth.users.list(),
    );

    app.post(
      '/api/auth/users',
      {
        bodyLimit: 4096,
        schema: {
          tags: ['auth'],
          body: CreateUserBody,
          response: { 201: User },
        },
      },
      async (request, reply) => {
        const { username, password, role } = request.body;
        try {
          const user = await auth.users.create(username, password, role);
          request.log.info({ user: username, role, by: request.principal?.username }, 'auth: user created');
          return reply.status(201).send(user);
        } catch (error) {
          throw userError(error);
        }
      },
    );

    app.delete(
      '/api/auth/users/:username',
      { schema: { tags: ['auth'], params: UserParams } },
      async (request, reply) => {
        try {
          auth.deleteUser(request.params.username);
        } catch (error) {
          throw userError(error);
        }
        request.log.info(
          { user: request.params.username, by: request.principal?.username },
          'auth: user deleted',
        );
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/auth/stats',
      {
        schema: {
          tags: ['auth'],
          response: { 200: AuthStats },
        },
      },
      async () => ({
        ...auth.counters,
        revocations: auth.revocations.size,
        users: auth.users.list().length,
      }),
    );
  };
}
