/**
 * POST /api/ingest/batch: NDJSON through the ingest's own intake. Good lines are stored once and
 * answered only when durable; bad ones are counted by reason, kept as dead letters, and never cost
 * the good lines around them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerUnderTest, type ServerUnderTest } from './helpers/server-under-test.js';

describe('ingest batch over HTTP', () => {
  let server: ServerUnderTest;
  const now = Date.now();
  const post = (body: string, type = 'application/x-ndjson') =>
    server.fetch('/api/ingest/batch', { method: 'POST', headers: { 'content-type': type }, body });

  beforeAll(async () => {
    server = await startServerUnderTest(undefined);
  });
  afterAll(async () => server?.runtime.stop());

  it('stores the good lines, counts and keeps the bad ones, and answers once durable', async () => {
    const root = server.topicRoot;
    const good = (i: number) =>
      JSON.stringify({
        topic: `${root}/weather/wx-kutaisi-centre/telemetry`,
        payload: { ts: now - 3_600_000 + i * 60_000, temp_c: 4 + i / 10 },
      });
    const lines = [
      good(0),
      '{"topic": "broken',
      good(1),
      JSON.stringify({ topic: `${root}/weather/nobody/telemetry`, payload: { ts: now, temp_c: 1 } }),
      JSON.stringify({
        topic: `${root}/weather/wx-kutaisi-centre/telemetry`,
        payload: { ts: now, temp_c: 999 },
      }),
      JSON.stringify(['not', 'a', 'line']),
      good(2),
    ];
    const response = await post(`${lines.join('\n')}\n`);
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      lines: number;
      readings: number;
      rejected: { total: number; by_reason: Record<string, number> };
      first_rejections: { line: number; reason: string }[];
    };
    expect(result).toMatchObject({ lines: 7, readings: 3 });
    expect(result.rejected.by_reason).toEqual({
      json_malformed: 1,
      unknown_device: 1,
      out_of_range: 1,
      schema_violation: 1,
    });
    expect(result.first_rejections.map((r) => r.line)).toEqual([2, 4, 5, 6]);
    // Durable when answered: the rows are there without waiting.
    expect(await server.runtime.store.countRows('wx-kutaisi-centre')).toBe(3);
    const stats = await server.get<{ rejected: { by_reason: Record<string, number> }; dead_letters: number }>(
      '/api/ingest/stats',
    );
    expect(stats.rejected.by_reason.json_malformed).toBe(1);
    expect(stats.dead_letters).toBeGreaterThanOrEqual(4);

    const again = (await (await post(`${good(0)}\n${good(1)}\n`)).json()) as { readings: number };
    expect(again.readings).toBe(2);
    expect(await server.runtime.store.countRows('wx-kutaisi-centre')).toBe(3);
  });

  it('refuses what is not NDJSON and batches over the line limit, and a role without the permission', async () => {
    expect((await post('{}', 'application/json')).status).toBe(415);
    const tooMany = `${'{}\n'.repeat(200_001)}`;
    expect((await post(tooMany)).status).toBe(413);
    const analyst = await server.fetch(
      '/api/ingest/batch',
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}\n' },
      'analyst',
    );
    expect(analyst.status).toBe(403);
  });
});
