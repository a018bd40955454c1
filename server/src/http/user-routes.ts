/** Users, for admins: list, create with a role, delete (which ends their sessions); sign-in counters. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuthService } from '../auth/auth-service.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { ROLES } from '../auth/roles.js';
import { USERNAME_PATTERN, UserError } from '../auth/user-store.js';
import { HttpError } from './errors.js';

const User = Type.Object({
  username: Type.String(),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  created_at: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Union([Type.Literal('env'), Type.Literal('file')], {
    description: 'env: the admin from ADMIN_USERNAME/ADMIN_PASSWORD, which cannot be deleted here',
  }),
});
const Username = Type.String({ pattern: USERNAME_PATTERN.source, maxLength: 64 });

const STATUS: Record<UserError['code'], number> = { exists: 409, not_found: 404, reserved: 409 };
const userError = (error: unknown) =>
  error instanceof UserError ? new HttpError(STATUS[error.code], error.code, error.message) : error;

export function userRoutes(auth: AuthService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/auth/users',
      { schema: { tags: ['auth'], response: { 200: Type.Array(User) } } },
      async () => auth.users.list(),
    );

    app.post(
      '/api/auth/users',
      {
        bodyLimit: 4096,
        schema: {
          tags: ['auth'],
          body: Type.Object({
            username: Username,
            password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
            role: User.properties.role,
          }),
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
      { schema: { tags: ['auth'], params: Type.Object({ username: Username }) } },
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
          response: {
            200: Type.Object({
              logins: Type.Integer(),
              failed_logins: Type.Integer(),
              throttled_logins: Type.Integer({ description: 'refused: too many failures for that name' }),
              denied: Type.Integer({ description: 'signed-in requests refused with 403' }),
              unauthenticated: Type.Integer({ description: 'requests refused with 401' }),
              revocations: Type.Integer({
                description: 'sign-outs kept until the tokens they name expire (shared by every instance)',
              }),
              users: Type.Integer(),
            }),
          },
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
