/// <reference lib="webworker" />
/**
 * The dashboard's service worker (built to /sw.js by dashboard/vite.config.ts, which writes the
 * list of built files into SHELL). Registered only once someone has signed in; signing out
 * deletes its caches and unregisters it. What it keeps and how: sw/offline-policy.ts.
 */
import { CACHE_PREFIX, DATA_CACHE, SAVED_AT_HEADER, endsSession, policyFor } from './offline-policy.js';

declare const self: ServiceWorkerGlobalScope;
/** Replaced at build time: the built files (paths from /) and a version derived from their names. */
declare const __SHELL__: { files: string[]; version: string };

const SHELL = __SHELL__;
const SHELL_FILES: string[] = SHELL.files;
const SHELL_CACHE = `${CACHE_PREFIX}shell-${SHELL.version}`;
const SHELL_SET = new Set(SHELL_FILES);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith(CACHE_PREFIX) && n !== SHELL_CACHE && n !== DATA_CACHE)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'forget') event.waitUntil(forgetAll());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const policy = policyFor(url, event.request, self.location.origin, SHELL_SET);
  if (policy === 'shell') event.respondWith(fromCacheFirst(event.request));
  else if (policy === 'navigate') event.respondWith(page(event.request));
  else if (policy === 'data') event.respondWith(data(event.request));
});

async function forgetAll(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX)).map((n) => caches.delete(n)));
}

async function fromCacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) ?? fetch(request);
}

/** Any page of the app is index.html with a query: the network's when it answers, else the kept one. */
async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match('/index.html', { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function data(request: Request): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch {
    const cached = await caches.match(request, { cacheName: DATA_CACHE });
    return cached ?? Response.error();
  }
  if (response.status === 200) {
    const headers = new Headers(response.headers);
    headers.set(SAVED_AT_HEADER, String(Date.now()));
    const copy = new Response(await response.clone().blob(), { status: 200, headers });
    await (await caches.open(DATA_CACHE)).put(request, copy);
  } else if (endsSession(response.status)) {
    await caches.delete(DATA_CACHE);
  }
  return response;
}
