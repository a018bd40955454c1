import { describe, expect, it } from 'vitest';
import { every, startParts, type Log, type Part } from './part.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Log;

function recorder() {
  const calls: string[] = [];
  const part = (name: string, failStart = false, failStop = false): Part => ({
    name,
    start: async () => {
      calls.push(`start ${name}`);
      if (failStart) throw new Error(`${name} failed`);
    },
    stop: () => {
      calls.push(`stop ${name}`);
      if (failStop) throw new Error(`${name} stop failed`);
    },
  });
  return { calls, part };
}

describe('parts', () => {
  it('start in order and stop in reverse, once however often shutdown is called', async () => {
    const { calls, part } = recorder();
    const stop = await startParts([part('a'), part('b'), part('c')], silent);
    await Promise.all([stop(), stop()]);
    await stop();
    expect(calls).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('when one fails to start, stop it and every part before it in reverse, then throw its error', async () => {
    const { calls, part } = recorder();
    const logged: string[] = [];
    const log = { ...silent, error: (_o: unknown, m: string) => logged.push(m) } as unknown as Log;
    await expect(
      startParts([part('a'), part('b', false, true), part('c', true), part('d')], log),
    ).rejects.toThrow('c failed');
    expect(calls).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    // A part that fails to stop does not keep the others from stopping, nor hide the start-up error.
    expect(logged).toEqual(['b: stop failed']);
  });

  it('drain every part, in reverse, before stopping any: a feeder stops feeding before the writer’s last write, and is still connected for its acknowledgements', async () => {
    const calls: string[] = [];
    const part = (name: string, drains: boolean): Part => ({
      name,
      start: () => undefined,
      ...(drains ? { drain: () => void calls.push(`drain ${name}`) } : {}),
      stop: () => void calls.push(`stop ${name}`),
    });
    const stop = await startParts(
      [part('store', false), part('writer', true), part('ingest', true), part('http', false)],
      silent,
    );
    await stop();
    expect(calls).toEqual([
      'drain ingest',
      'drain writer',
      'stop http',
      'stop ingest',
      'stop writer',
      'stop store',
    ]);
  });

  it('a periodic part runs its task once more as it stops, and not after', async () => {
    let runs = 0;
    const saver = every('saver', 60_000, () => runs++);
    const stop = await startParts([saver], silent);
    await stop();
    expect(runs).toBe(1);
  });
});
