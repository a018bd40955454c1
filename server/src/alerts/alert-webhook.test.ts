import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../contract/index.js';
import { AlertWebhook } from './alert-webhook.js';

const alert = { id: 'bin-nikea-02.fill_high.x', rule: 'fill_high', state: 'open' } as Alert;

describe('alert webhook', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[] }> {
    const bodies: unknown[] = [];
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
  }

  it('POSTs each change as JSON, retrying a failing receiver with backoff', async () => {
    const { url, bodies } = await receiver([503, 500]);
    const warnings: string[] = [];
    const hook = new AlertWebhook({ url, backoffMs: 5 }, (m) => warnings.push(m));
    hook.send('opened', alert);
    hook.send('resolved', { ...alert, state: 'resolved' });
    await hook.idle();
    expect(bodies).toHaveLength(4);
    expect(bodies.at(-2)).toEqual({ event: 'opened', alert });
    expect(bodies.at(-1)).toMatchObject({ event: 'resolved', alert: { state: 'resolved' } });
    expect(hook.stats).toEqual({ delivered: 2, failed: 0, dropped: 0 });
    expect(warnings).toEqual([]);
  });

  it('gives up after the bounded attempts, and never throws at the sender', async () => {
    const warnings: string[] = [];
    const hook = new AlertWebhook({ url: 'http://127.0.0.1:1/none', attempts: 2, backoffMs: 1 }, (m) =>
      warnings.push(m),
    );
    expect(() => hook.send('opened', alert)).not.toThrow();
    await hook.idle();
    expect(hook.stats.failed).toBe(1);
    expect(warnings[0]).toMatch(/not delivered/);
  });
});
