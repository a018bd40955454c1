/**
 * A device's `map`: a JSONata expression (the `jsonata` package) over the decoded object that
 * yields the contract's payload fields. Compiled once: at start-up every distinct expression is
 * compiled a single time (500 bins of one model share one), and a bad one stops start-up.
 */
import jsonata from 'jsonata';

export type CompiledMap = jsonata.Expression;

/** Limits per evaluation: a map that loops or recurses without end fails that one message. */
const LIMITS = { timeout: 250, stack: 200 };

const compiled = new Map<string, CompiledMap>();

/** The compiled expression; throws a one-line error (with the position) for a bad one. */
export function compileMap(expression: string): CompiledMap {
  let map = compiled.get(expression);
  if (!map) {
    try {
      map = jsonata(expression, LIMITS);
    } catch (error) {
      const e = error as { message?: string; position?: number };
      throw new Error(
        `${e.message ?? String(error)}${e.position !== undefined ? ` at position ${e.position}` : ''}`,
        {
          cause: error,
        },
      );
    }
    compiled.set(expression, map);
  }
  return map;
}

export type MapResult = { ok: true; fields: Record<string, unknown> } | { ok: false; detail: string };

/**
 * Runs a map. `$message` is the whole message (a TTN or ChirpStack envelope, for instance
 * `$message.uplink_message.f_port`) and `$topic` its topic.
 */
export async function applyMap(
  map: CompiledMap,
  object: unknown,
  message: unknown,
  topic: string,
): Promise<MapResult> {
  let result: unknown;
  try {
    result = await map.evaluate(object, { message, topic });
  } catch (error) {
    const e = error as { message?: string; code?: string };
    return { ok: false, detail: `the map failed: ${e.message ?? String(error)}`.slice(0, 300) };
  }
  if (result === undefined || result === null)
    return { ok: false, detail: 'the map yielded nothing (a field it reads is missing?)' };
  if (typeof result !== 'object' || Array.isArray(result))
    return {
      ok: false,
      detail: `the map yielded ${Array.isArray(result) ? 'an array' : typeof result}, expected an object`,
    };
  // JSONata marks its results (sequences, functions): plain JSON is what the contract validates.
  return { ok: true, fields: JSON.parse(JSON.stringify(result)) as Record<string, unknown> };
}
