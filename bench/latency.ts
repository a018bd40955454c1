/**
 * (3) End-to-end latency, publish → WebSocket frame: one dashboard socket on /ws while the
 * publisher sends readings stamped with their publish time; every device entity in a frame
 * gives one sample (frame receive time − the reading's ts). Same machine, same clock.
 */
import WebSocket from 'ws';
import { LIVE_FLUSH_MS } from '../server/src/contract/live-messages.js';
import { percentile, portfolioWithBins, publish, startServer } from './env.js';
import { clearSession } from './throughput.js';

export interface Latency {
  rate: number;
  frame_ms: number;
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  server_rss_mb: number;
}

export async function latencyAt(
  brokerUrl: string,
  rates: number[],
  seconds: number,
  bins: number,
  env: Record<string, string> = {},
): Promise<Latency[]> {
  const server = await startServer({ MQTT_URL: brokerUrl, PORTFOLIO: portfolioWithBins(bins), ...env });
  const results: Latency[] = [];
  try {
    for (const rate of rates) {
      const samples: number[] = [];
      let recording = false;
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?domain=waste`, {
        headers: server.headers,
      });
      ws.on('message', (data: Buffer) => {
        if (!recording) return;
        const now = Date.now();
        const message = JSON.parse(data.toString()) as {
          type: string;
          entities?: { scope: string; lastSeen: number | null }[];
        };
        if (message.type !== 'delta') return;
        for (const entity of message.entities ?? []) {
          if (entity.scope === 'device' && entity.lastSeen) samples.push(now - entity.lastSeen);
        }
      });
      await new Promise((resolve) => ws.once('open', resolve));
      recording = true;
      await publish({ url: brokerUrl, bins, count: rate * seconds, rate, clock: 'wall' });
      await new Promise((r) => setTimeout(r, 500));
      recording = false;
      ws.close();
      results.push({
        rate,
        frame_ms: Number(env.LIVE_FRAME_MS ?? LIVE_FLUSH_MS),
        samples: samples.length,
        p50_ms: percentile(samples, 50),
        p95_ms: percentile(samples, 95),
        p99_ms: percentile(samples, 99),
        server_rss_mb: server.rssMb(),
      });
    }
  } finally {
    await server.stop();
    await clearSession(brokerUrl, server.clientId);
  }
  return results;
}
