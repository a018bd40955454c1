/**
 * Roles and what each may do. A route needs one permission (route-access.ts); a role grants a set.
 * viewer reads; analyst also exports evidence and raw data; operator also acknowledges alerts and
 * manages devices and imports readings (POST /api/ingest/batch); admin may do everything, including managing users.
 */
export const ROLES = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'read',
  'data:export',
  'data:import',
  'alerts:ack',
  'devices:manage',
  'users:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  analyst: ['read', 'data:export'],
  operator: ['read', 'alerts:ack', 'devices:manage', 'data:import'],
  admin: PERMISSIONS,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
