/**
 * `POST /api/ingest/batch`: readings posted over HTTP as NDJSON, one `{"topic", "payload"}` per line
 * (the simulators' dry-run format), for imports (historic weather, a network server's export) and
 * tooling. Each line goes through the ingest's own intake — the same validation, counters, dead
 * letters and idempotent store — and the answer comes once every accepted reading is durable.
 *
 * The device horizon (INGEST_MAX_AGE_DAYS) guards against device clocks, not operators: an import
 * may reach back to 2000 (the contract's floor), never into the future.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RejectReason } from '../contract/index.js';
import { BatchResult, type BatchRejection } from '../contract/api/ops.js';
import type { ClassifyOptions } from '../ingest/classify.js';
import type { AppContext } from './context.js';
import { HttpError } from './errors.js';

export const NDJSON = 'application/x-ndjson';
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_LINES = 200_000;
/** A store that stays down this long answers 503; the accepted readings are still written when it returns. */
const DURABLE_WAIT_MS = 120_000;
const IMPORT_FLOOR_MS = Date.parse('2000-01-01T00:00:00Z');

type Line =
  { ok: true; topic: string; payload: Buffer } | { ok: false; reason: RejectReason; detail: string };

function parseLine(text: string): Line {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'json_malformed', detail: (error as Error).message.slice(0, 200) };
  }
  const record = value as { topic?: unknown; payload?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.topic !== 'string')
    return {
      ok: false,
      reason: 'schema_violation',
      detail: 'a line must be {"topic": "...", "payload": {...}}',
    };
  const payload =
    typeof record.payload === 'string' ? record.payload : JSON.stringify(record.payload ?? null);
  return { ok: true, topic: record.topic, payload: Buffer.from(payload) };
}

export function ingestBatchRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(NDJSON, { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    app.post(
      '/api/ingest/batch',
      {
        bodyLimit: MAX_BODY_BYTES,
        schema: {
          tags: ['operations'],
          description: `NDJSON (${NDJSON}), one {"topic","payload"} per line, at most ${MAX_LINES} lines and 32 MiB; answers once every accepted reading is stored`,
          response: { 200: BatchResult },
        },
      },
      async (request) => {
        const intake = ctx.intake;
        if (!intake) throw new HttpError(503, 'unavailable', 'the ingest is not running');
        if (request.headers['content-type']?.split(';')[0]?.trim() !== NDJSON)
          throw new HttpError(415, 'unsupported_media_type', `send ${NDJSON}`);
        const lines = (request.body as string).split('\n').filter((l) => l.trim() !== '');
        if (lines.length > MAX_LINES)
          throw new HttpError(413, 'too_many_lines', `at most ${MAX_LINES} lines per request`);
        const options: ClassifyOptions = {
          topicRoot: ctx.settings.mqtt.topicRoot,
          maxAgeMs: Date.now() - IMPORT_FLOOR_MS,
          maxFutureMs: ctx.settings.ingest.maxFutureMs,
        };
        const result = {
          lines: lines.length,
          readings: 0,
          statuses: 0,
          events: 0,
          rejected: { total: 0, by_reason: {} as Record<string, number> },
          first_rejections: [] as BatchRejection[],
        };
        const reject = (line: number, reason: string, detail: string) => {
          result.rejected.total++;
          result.rejected.by_reason[reason] = (result.rejected.by_reason[reason] ?? 0) + 1;
          if (result.first_rejections.length < 20) result.first_rejections.push({ line, reason, detail });
        };
        let waiting = 0;
        let release: () => void = () => undefined;
        const durable = new Promise<void>((resolve) => (release = resolve));
        const ack = () => {
          if (--waiting === 0) release();
        };
        for (const [i, text] of lines.entries()) {
          // The same back-pressure as the MQTT door: never more than the writer's high-water mark queued.
          if (!intake.accepting) await intake.whenAccepting();
          const line = parseLine(text);
          if (!line.ok) {
            ctx.stats.received();
            ctx.stats.rejected(line.reason);
            ctx.deadLetters.add('(http batch)', line.reason, line.detail, Buffer.from(text), Date.now());
            reject(i + 1, line.reason, line.detail);
            continue;
          }
          waiting++;
          const outcome = intake.accept(options, line.topic, line.payload, ack);
          if (outcome.kind === 'reading') result.readings++;
          else if (outcome.kind === 'status') result.statuses++;
          else if (outcome.kind === 'event') result.events++;
          else reject(i + 1, outcome.reason, outcome.detail);
        }
        if (waiting === 0) release();
        let timer: NodeJS.Timeout | undefined;
        const stored = await Promise.race([
          durable.then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DURABLE_WAIT_MS))),
        ]);
        clearTimeout(timer);
        if (!stored)
          throw new HttpError(
            503,
            'store_unavailable',
            'accepted, but not yet durable: the store is not answering',
          );
        return result;
      },
    );
  };
}
