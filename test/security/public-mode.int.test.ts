/**
 * Public read-only mode (portfolio `public:`): anonymous visitors read the listed pilots' live
 * indicators, by `GET /api/public/indicators` and by an anonymous `/ws` whose snapshot and deltas
 * hold nothing else; everything else still answers 401.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEntity } from '../../server/src/contract/index.js';
import { waitFor } from '../helpers/brokers.js';
import { publicPortfolio } from '../helpers/portfolios.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { openLive } from './ws-client.js';

describe('public read-only mode', () => {
  let server: ServerUnderTest;
  let url: string;

  beforeAll(async () => {
    server = await startServerUnderTest(undefined, {}, publicPortfolio(['smart-waste']));
    url = server.runtime.httpUrl;
  });
  afterAll(async () => {
    await server?.runtime.stop();
  });

  it('serves the public pilots to anyone and keeps the rest behind sign-in', async () => {
    expect(await (await fetch(`${url}/api/auth/config`)).json()).toEqual({ public_mode: true, demo: null });
    const body = (await (await fetch(`${url}/api/public/indicators`)).json()) as {
      pilots: { id: string; name: { en: string }; entity: { key: string; indicators: unknown } | null }[];
    };
    expect(body.pilots.map((p) => p.id)).toEqual(['smart-waste']);
    expect(body.pilots[0]?.entity).toMatchObject({ key: 'pilot:smart-waste', indicators: { bins: 12 } });
    for (const path of ['/api/devices', '/api/portfolio', '/api/alerts', '/api/series?device=x&metric=fill'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
  });

  it('gives an anonymous socket only the public entities, in the snapshot, after a subscribe and in deltas', async () => {
    const anonymous = await openLive(url);
    if (anonymous.kind !== 'snapshot') throw new Error(`refused with ${anonymous.status}`);
    expect(anonymous.entities.map((e) => e.key)).toEqual(['pilot:smart-waste']);
    const frames: LiveEntity[][] = [];
    anonymous.socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; entities?: LiveEntity[] };
      if (message.entities) frames.push(message.entities);
    });
    // Asking for everything changes nothing.
    anonymous.socket.send(JSON.stringify({ type: 'subscribe', filter: { domains: ['waste', 'energy'] } }));

    const signedIn = await openLive(url, { authorization: `Bearer ${await server.tokenFor('viewer')}` });
    if (signedIn.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect(signedIn.entities.length).toBeGreaterThan(30);
    signedIn.socket.close();

    const client = await mqtt.connectAsync(server.runtime.mqttUrl, { clientId: `public-${process.pid}` });
    const reading = { ts: Date.now() - 1_000, seq: 1, fill: 0.5, battery_v: 3.6, temp_c: 10 };
    await client.publishAsync(`${server.topicRoot}/waste/bin-nikea-02/telemetry`, JSON.stringify(reading), {
      qos: 1,
    });
    await client.endAsync();
    await waitFor('a delta with the public pilot', async () =>
      frames.length >= 2 &&
      frames
        .slice(1)
        .flat()
        .some((e) => e.key === 'pilot:smart-waste')
        ? true
        : undefined,
    );
    expect(new Set(frames.flat().map((e) => e.key))).toEqual(new Set(['pilot:smart-waste']));
    anonymous.socket.close();
  });
});
