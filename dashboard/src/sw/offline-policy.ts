/**
 * What the service worker does with a request. The app shell (the built files) is served from the
 * cache; the data a crew needs when the signal drops (who is signed in, the portfolio, the collection
 * plan, the device list) is fetched from the network first and kept, with the time it was saved, for
 * when the network fails. Everything else passes through untouched. Only answers 200 are kept, and
 * every one of these routes answers 401 to a signed-out browser, so nothing is kept for one.
 */
export type Policy = 'navigate' | 'shell' | 'data' | 'pass';

/** Header the service worker adds to a kept answer: epoch ms when it was saved. */
export const SAVED_AT_HEADER = 'x-saved-at';

export const CACHE_PREFIX = 'kutaisi-';
export const DATA_CACHE = `${CACHE_PREFIX}data-v1`;

const DATA_PATHS = new Set([
  '/api/auth/me',
  '/api/auth/config',
  '/api/portfolio',
  '/api/waste/collection-plan',
  '/api/device-health',
  '/api/devices',
]);

export function policyFor(
  url: URL,
  request: { method: string; mode: string },
  origin: string,
  shell: ReadonlySet<string>,
): Policy {
  if (request.method !== 'GET' || url.origin !== origin) return 'pass';
  if (url.pathname.startsWith('/api/') || url.pathname === '/ws') {
    if (!DATA_PATHS.has(url.pathname)) return 'pass';
    // The plan's CSV download is an export, not something to show offline.
    if (url.searchParams.has('format') && url.searchParams.get('format') !== 'json') return 'pass';
    return 'data';
  }
  if (request.mode === 'navigate') return 'navigate';
  return shell.has(url.pathname) ? 'shell' : 'pass';
}

/** A 401 means the session is over: whatever was kept for it goes. */
export const endsSession = (status: number): boolean => status === 401;
