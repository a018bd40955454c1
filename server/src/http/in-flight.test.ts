import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { handlersIdle, trackHandlers } from './in-flight.js';

describe('handlers in flight', () => {
  it('are counted until they finish, whether they answer, throw, or their client has gone', async () => {
    const app = Fastify();
    trackHandlers(app);
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    app.get('/slow', async () => {
      await gate;
      return { ok: true };
    });
    app.get('/fails', async () => {
      await gate;
      throw new Error('boom');
    });
    app.get('/sync', (_request, reply) => void reply.send('now'));
    await app.ready();

    expect(await handlersIdle(app, 0)).toBe(true);
    const slow = app.inject('/slow');
    const fails = app.inject('/fails');
    expect((await app.inject('/sync')).body).toBe('now');
    expect(await handlersIdle(app, 0)).toBe(false);
    finish();
    expect(await handlersIdle(app, 60_000)).toBe(true);
    expect((await slow).json()).toEqual({ ok: true });
    expect((await fails).statusCode).toBe(500);
    await app.close();
  });
});
