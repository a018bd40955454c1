/** Names the page shares with the service worker (sw/offline-policy.ts; a test checks they agree). */
export const SAVED_AT_HEADER = 'x-saved-at';
export const CACHE_PREFIX = 'kutaisi-';
