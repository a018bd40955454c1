/**
 * When the signal drops. The service worker (sw/) answers the app's data requests from what it
 * kept, marking each answer with the time it was saved; views hand their answers to `note`, and
 * the page says which data are shown "as of" when. The worker is registered once someone signs
 * in; signing out (or a session the server ended) deletes every cache and unregisters it.
 */
import { CACHE_PREFIX, SAVED_AT_HEADER } from './offline-names.js';

export type SavedKind = 'session' | 'portfolio' | 'plan' | 'devices';

export class OfflineState {
  /** What the browser says of its network. */
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** Data on screen that came from the kept copies, with the time each was saved. */
  asOf = $state.raw<Partial<Record<SavedKind, number>>>({});
  active = $derived(!this.online || Object.keys(this.asOf).length > 0);

  constructor() {
    if (typeof addEventListener === 'function') {
      addEventListener('online', () => (this.online = true));
      addEventListener('offline', () => (this.online = false));
    }
  }

  /** Records whether `response` is a kept copy (and from when) or fresh from the server. */
  note(kind: SavedKind, response: Response): void {
    const saved = Number(response.headers.get(SAVED_AT_HEADER));
    const next = { ...this.asOf };
    if (Number.isFinite(saved) && saved > 0) next[kind] = saved;
    else delete next[kind];
    this.asOf = next;
  }

  /**
   * The app's data requests as they were last saved, when the network fails. Requests made before
   * the worker took this page over went past it: `warm` names those to ask for once more.
   */
  async register(warm: readonly string[] = []): Promise<void> {
    if (!('serviceWorker' in navigator)) return;
    try {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      if (navigator.serviceWorker.controller) return;
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
      await Promise.all(warm.map((url) => fetch(url).catch(() => undefined)));
    } catch {
      // No worker (the Vite dev server has none, a private window): the app works, only not offline.
    }
  }

  /** Signed out: nothing of this user's stays in this browser. */
  async forget(): Promise<void> {
    this.asOf = {};
    if (typeof caches !== 'undefined') {
      const names = await caches.keys().catch(() => [] as string[]);
      await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX)).map((n) => caches.delete(n)));
    }
    if ('serviceWorker' in navigator) {
      const registrations = await navigator.serviceWorker.getRegistrations().catch(() => []);
      for (const registration of registrations) {
        registration.active?.postMessage({ type: 'forget' });
        await registration.unregister();
      }
    }
  }
}
