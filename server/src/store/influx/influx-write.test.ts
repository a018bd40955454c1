/** The write path against a scripted HTTP server: flavour paths, gzip, and Retry-After passed on to the retry loop. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { loadSettings } from '../../config/settings.js';
import { InfluxStore, InfluxWriteError } from './influx-store.js';

interface Seen {
  url: string;
  encoding: string | undefined;
  authorization: string | undefined;
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Answers each write with the next scripted status (and headers); everything else with 204. */
async function scripted(
  replies: { status: number; headers?: Record<string, string> }[],
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      const body = encoding === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      const isWrite = req.url?.startsWith('/write') || req.url?.startsWith('/api/v2/write');
      if (isWrite)
        seen.push({ url: req.url ?? '', encoding, authorization: req.headers.authorization, body });
      const reply = isWrite ? (replies.shift() ?? { status: 204 }) : { status: 204 };
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.status >= 400 ? '{"error":"scripted"}' : '');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, seen };
}

const readings = (n: number): Reading[] =>
  Array.from({ length: n }, (_, i) => ({
    device: 'bin-nikea-02',
    domain: 'waste',
    site: 'nikea',
    ts: 1_790_000_000_000 + i,
    seq: i,
    metrics: { fill: 0.5, temp_c: 9 },
    simulated: false,
    receivedAt: 0,
  }));

describe('InfluxStore writes', () => {
  it('v2: posts gzip line protocol to /api/v2/write with org, bucket, ms precision and the token', async () => {
    const { url, seen } = await scripted([]);
    const store = new InfluxStore(
      loadSettings({
        INFLUX_URL: url,
        INFLUX_ORG: 'kutaisi',
        INFLUX_BUCKET: 'telemetry',
        INFLUX_TOKEN: 'sekret',
      }).influx!,
    );
    await store.write(readings(100));
    expect(seen[0]?.url).toBe('/api/v2/write?org=kutaisi&bucket=telemetry&precision=ms');
    expect(seen[0]?.authorization).toBe('Token sekret');
    expect(seen[0]?.encoding).toBe('gzip');
    expect(seen[0]?.body.split('\n')[0]).toBe(
      'waste,device=bin-nikea-02,site=nikea fill=0.5,temp_c=9 1790000000000',
    );
    // The readings, then the rollups' change journal: one line per device and UTC day the write touched.
    const lines = seen[0]?.body.split('\n') ?? [];
    expect(lines).toHaveLength(101);
    expect(lines[100]).toMatch(/^rollup_changes,device=bin-nikea-02 written=\d+i 1789948800000$/);
    await store.close();
  });

  it('v1: posts to /write with database, retention policy and credentials', async () => {
    const { url, seen } = await scripted([]);
    const env = {
      INFLUX_URL: url,
      INFLUX_API: 'v1',
      INFLUX_DATABASE: 'kutaisi',
      INFLUX_RETENTION_POLICY: 'raw',
      INFLUX_USERNAME: 'ingest',
      INFLUX_PASSWORD: 'pw',
    };
    const store = new InfluxStore(loadSettings(env).influx!);
    await store.write(readings(1));
    expect(seen[0]?.url).toBe('/write?db=kutaisi&rp=raw&u=ingest&p=pw&precision=ms');
    await store.close();
  });

  it('passes Retry-After of a 429 and a 503 on to the retry loop, and keeps a partial write (400) from blocking ingest', async () => {
    const { url } = await scripted([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503 },
      { status: 400 },
    ]);
    const store = new InfluxStore(loadSettings({ INFLUX_URL: url, INFLUX_API: 'v1' }).influx!);
    const first = await store.write(readings(1)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(InfluxWriteError);
    expect((first as InfluxWriteError).retryAfterMs).toBe(7000);
    const second = await store.write(readings(1)).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(InfluxWriteError);
    expect((second as InfluxWriteError).retryAfterMs).toBe(0);
    expect(await store.write(readings(1))).toEqual({ inserted: 2, duplicates: 0 });
    expect(await store.write(readings(1))).toEqual({ inserted: 2, duplicates: 0 });
    await store.close();
  });
});
