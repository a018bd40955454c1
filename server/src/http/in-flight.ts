/**
 * Route handlers still running. A request whose client has gone away keeps running its handler
 * (an experiment's bootstrap can take seconds), and closing the HTTP server does not wait for it:
 * shutdown waits here, so the store is never closed under a query.
 */
import type { FastifyInstance } from 'fastify';

const running = new WeakMap<FastifyInstance, { count: number; idle: (() => void)[] }>();

/** Counts every route handler of `app` from now on (call before the routes are registered). */
export function trackHandlers(app: FastifyInstance): void {
  const state = { count: 0, idle: [] as (() => void)[] };
  running.set(app, state);
  const done = () => {
    if (--state.count > 0) return;
    for (const resolve of state.idle.splice(0)) resolve();
  };
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (...args: unknown[]) => unknown;
    route.handler = function (this: unknown, ...args: unknown[]) {
      state.count++;
      let result: unknown;
      try {
        result = handler.apply(this, args);
      } catch (error) {
        done();
        throw error;
      }
      if (result instanceof Promise) void result.finally(done).catch(() => undefined);
      else done();
      return result;
    };
  });
}

/** Resolves once no handler runs, or after `timeoutMs` (true when idle). */
export async function handlersIdle(app: FastifyInstance, timeoutMs: number): Promise<boolean> {
  const state = running.get(app);
  if (!state || state.count === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<true>((resolve) => state.idle.push(() => resolve(true)));
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([idle, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
