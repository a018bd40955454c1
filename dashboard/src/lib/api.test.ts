import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpStatusError, fetchJson, fetchSeries, postJson, queryString } from './api.js';

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('the REST client', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('writes a query from the fields that are set', () => {
    expect(queryString({ device: 'bin-01', metric: 'fill', from: 0, by: undefined })).toBe(
      '?device=bin-01&metric=fill&from=0',
    );
    expect(queryString({})).toBe('');
  });

  it('asks /api/series with the typed query and returns the answer', async () => {
    const fetch = vi.fn(async () => answer(200, { t: [0], step: 60_000, agg: 'mean', series: [] }));
    vi.stubGlobal('fetch', fetch);
    const result = await fetchSeries({ pilot: 'p', metric: 'fill', agg: 'max', step: 60_000 });
    expect(result.step).toBe(60_000);
    expect(fetch).toHaveBeenCalledWith('/api/series?pilot=p&metric=fill&agg=max&step=60000', {});
  });

  it("throws the status with the server's message on an error answer", async () => {
    vi.stubGlobal('fetch', async () =>
      answer(409, { error: 'already_acknowledged', message: 'alert a1 is already acknowledged' }),
    );
    const failure = await postJson('/api/alerts/a1/ack', { by: 'Nino' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HttpStatusError);
    expect((failure as HttpStatusError).status).toBe(409);
    expect((failure as Error).message).toBe('HTTP 409: alert a1 is already acknowledged');

    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }));
    expect(((await fetchJson('/api/portfolio').catch((e: unknown) => e)) as Error).message).toBe('HTTP 502');
  });

  it('tells of an answer only when it is good and still wanted', async () => {
    vi.stubGlobal('fetch', async () => answer(200, { ok: true }));
    const told = vi.fn();
    await fetchJson('/api/device-health', { onResponse: told });
    expect(told).toHaveBeenCalledTimes(1);

    const controller = new AbortController();
    vi.stubGlobal('fetch', async () => {
      controller.abort();
      return answer(200, { ok: true });
    });
    await expect(
      fetchJson('/api/device-health', { signal: controller.signal, onResponse: told }),
    ).rejects.toThrow();
    expect(told).toHaveBeenCalledTimes(1);

    vi.stubGlobal('fetch', async () => answer(503, { error: 'unavailable', message: 'store down' }));
    await expect(fetchJson('/api/device-health', { onResponse: told })).rejects.toThrow(
      'HTTP 503: store down',
    );
    expect(told).toHaveBeenCalledTimes(1);
  });
});
