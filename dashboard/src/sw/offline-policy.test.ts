import { describe, expect, it } from 'vitest';
import * as page from '../lib/offline-names.js';
import { CACHE_PREFIX, SAVED_AT_HEADER, endsSession, policyFor } from './offline-policy.js';

const origin = 'https://kutaisi.example';
const shell = new Set(['/', '/index.html', '/assets/index-abc.js', '/manifest.webmanifest']);
const policy = (path: string, mode = 'cors', method = 'GET', base = origin) =>
  policyFor(new URL(path, base), { method, mode }, origin, shell);

describe('service worker policy', () => {
  it('keeps the data a crew needs offline, and nothing else of the API', () => {
    expect(policy('/api/waste/collection-plan?horizon=24h')).toBe('data');
    expect(policy('/api/device-health')).toBe('data');
    expect(policy('/api/portfolio')).toBe('data');
    expect(policy('/api/auth/me')).toBe('data');
    expect(policy('/api/series?device=x&metric=fill')).toBe('pass');
    expect(policy('/api/experiments')).toBe('pass');
    expect(policy('/ws')).toBe('pass');
  });

  it('never keeps an export, a write or another origin', () => {
    expect(policy('/api/waste/collection-plan?horizon=24h&format=csv')).toBe('pass');
    expect(policy('/api/auth/me', 'cors', 'POST')).toBe('pass');
    expect(policy('/api/portfolio', 'cors', 'GET', 'https://elsewhere.example')).toBe('pass');
  });

  it('serves the shell from the cache and pages from the network first', () => {
    expect(policy('/assets/index-abc.js')).toBe('shell');
    expect(policy('/?view=collection&lang=ka', 'navigate')).toBe('navigate');
    expect(policy('/assets/unknown.js')).toBe('pass');
  });

  it('forgets on a 401 only', () => {
    expect(endsSession(401)).toBe(true);
    expect(endsSession(503)).toBe(false);
  });

  it('names the saved-at header and the caches as the page reads and deletes them', () => {
    expect(SAVED_AT_HEADER).toBe(page.SAVED_AT_HEADER);
    expect(CACHE_PREFIX).toBe(page.CACHE_PREFIX);
  });
});
