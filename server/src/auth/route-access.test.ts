import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, routeAccess } from './route-access.js';
import { can, ROLES, type Permission } from './roles.js';

describe('roles and route access', () => {
  it('grant what the roles table in docs/security.md says', () => {
    const grants = (permission: Permission) => ROLES.filter((role) => can(role, permission));
    expect(grants('read')).toEqual(['viewer', 'analyst', 'operator', 'admin']);
    expect(grants('data:export')).toEqual(['analyst', 'admin']);
    expect(grants('alerts:ack')).toEqual(['operator', 'admin']);
    expect(grants('devices:manage')).toEqual(['operator', 'admin']);
    expect(grants('data:import')).toEqual(['operator', 'admin']);
    expect(grants('users:manage')).toEqual(['admin']);
  });

  it('look routes up in the table, HEAD like GET, and leave unknown routes without a rule', () => {
    expect(routeAccess('POST', '/api/alerts/:id/ack')).toBe('alerts:ack');
    expect(routeAccess('HEAD', '/api/health')).toBe('public');
    expect(routeAccess('GET', '/*')).toBe('public');
    expect(routeAccess('GET', '/api/docs/json')).toBe('public');
    expect(routeAccess('GET', '/api/docsecret')).toBeUndefined();
    expect(routeAccess('GET', '/api/something-new')).toBeUndefined();
    expect(routeAccess('POST', '/api/health')).toBeUndefined();
    expect(routeAccess('GET', '/api/something-new', 'users:manage')).toBe('users:manage');
  });

  it('treat the collection plan CSV as an export', () => {
    const rule = ROUTE_ACCESS['GET /api/waste/collection-plan'];
    if (typeof rule !== 'function') throw new Error('expected a rule that reads the request');
    const request = (query: Record<string, string>, accept?: string) =>
      ({ query, headers: accept ? { accept } : {} }) as unknown as FastifyRequest;
    expect(rule(request({}))).toBe('read');
    expect(rule(request({ format: 'json' }, 'text/csv'))).toBe('read');
    expect(rule(request({ format: 'csv' }))).toBe('data:export');
    expect(rule(request({}, 'text/csv'))).toBe('data:export');
  });
});
