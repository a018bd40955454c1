/** Signing in and out (`/api/auth/config|login|logout|me`) and, for admins, users and sign-in counters. */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { PERMISSIONS, ROLES } from '../../auth/roles.js';
import { USERNAME_PATTERN } from '../../auth/user-store.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));

/** The signed-in user, with what the role may do. */
export const Me = Type.Object({
  username: Type.String(),
  role: Role,
  permissions: Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p)))),
  expires_at: Type.Number({ description: 'epoch ms' }),
});
export type Me = Static<typeof Me>;

export const AuthConfig = Type.Object({
  public_mode: Type.Boolean(),
  demo: Type.Union([Type.Object({ username: Type.String(), password: Type.String() }), Type.Null()]),
});
export type AuthConfig = Static<typeof AuthConfig>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
});
export type LoginBody = Static<typeof LoginBody>;

export const LoginResponse = Type.Object({ token: Type.String(), expires_at: Type.Number(), user: Me });
export type LoginResponse = Static<typeof LoginResponse>;

export const User = Type.Object({
  username: Type.String(),
  role: Role,
  created_at: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Union([Type.Literal('env'), Type.Literal('file')], {
    description: 'env: the admin from ADMIN_USERNAME/ADMIN_PASSWORD, which cannot be deleted here',
  }),
});
export type User = Static<typeof User>;

export const UserList = Type.Array(User);

const Username = Type.String({ pattern: USERNAME_PATTERN.source, maxLength: 64 });

export const CreateUserBody = Type.Object({
  username: Username,
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  role: Role,
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UserParams = Type.Object({ username: Username });
export type UserParams = Static<typeof UserParams>;

export const AuthStats = Type.Object({
  logins: Type.Integer(),
  failed_logins: Type.Integer(),
  throttled_logins: Type.Integer({ description: 'refused: too many failures for that name' }),
  denied: Type.Integer({ description: 'signed-in requests refused with 403' }),
  unauthenticated: Type.Integer({ description: 'requests refused with 401' }),
  revocations: Type.Integer({
    description: 'sign-outs kept until the tokens they name expire (shared by every instance)',
  }),
  users: Type.Integer(),
});
export type AuthStats = Static<typeof AuthStats>;
