/**
 * SenML (RFC 8428) in its JSON representation: a pack is an array of records. Base fields
 * (`bn`, `bt`, `bu`, `bv`, `bs`) apply to the record they are on and to every later one. The base
 * name is the device's external id; the records of one base name and one time become one object
 * `{ <name without the base name>: value }` for the device's map. Times are seconds: `bt + t`, and
 * a value below 2^28 is relative to now (the RFC's rule), as is a record without any time.
 */
import {
  finite,
  isObject,
  mismatch,
  secondsToMs,
  type Decoded,
  type SourceFormat,
  type SourceReading,
} from './format.js';

/** Times below this are relative to the current time (RFC 8428, section 4.5.3). */
const RELATIVE_LIMIT_S = 2 ** 28;

export const senml: SourceFormat = {
  defaultTopic: undefined,
  acceptsArray: true,
  builtInDomain: undefined,
  decode(message, ctx): Decoded {
    const records = Array.isArray(message) ? message : [message];
    if (records.length === 0) return mismatch('expected a SenML pack with at least one record');
    const base = { bn: undefined as string | undefined, bt: 0, bv: 0, bs: 0 };
    const groups = new Map<string, SourceReading>();
    for (const [i, record] of records.entries()) {
      if (!isObject(record)) return mismatch(`record ${i}: expected an object`);
      if (record.bn !== undefined) {
        if (typeof record.bn !== 'string') return mismatch(`record ${i}: bn must be a string`);
        base.bn = record.bn;
      }
      for (const key of ['bt', 'bv', 'bs'] as const) {
        if (record[key] === undefined) continue;
        const value = finite(record[key]);
        if (value === undefined) return mismatch(`record ${i}: ${key} must be a number`);
        base[key] = value;
      }
      if (base.bn === undefined) return mismatch(`record ${i}: no base name (bn) names the device`);
      const name = record.n ?? '';
      if (typeof name !== 'string') return mismatch(`record ${i}: n must be a string`);
      const t = record.t === undefined ? 0 : finite(record.t);
      if (t === undefined) return mismatch(`record ${i}: t must be a number`);
      if (record.v !== undefined && finite(record.v) === undefined)
        return mismatch(`record ${i}: v must be a number`);
      const value = recordValue(record, base.bv, base.bs);
      if (value === undefined) continue; // a record that only sets base fields
      let seconds = base.bt + t;
      if (seconds < RELATIVE_LIMIT_S) seconds += ctx.now / 1000;
      const ts = secondsToMs(seconds);
      const key = `${base.bn}\n${ts}`;
      let group = groups.get(key);
      if (!group) {
        group = { externalIds: [base.bn], object: {}, base: { ts } };
        groups.set(key, group);
      }
      (group.object as Record<string, unknown>)[name] = value;
    }
    if (groups.size === 0) return mismatch('the pack holds no record with a value');
    return { ok: true, readings: [...groups.values()] };
  },
};

function recordValue(record: Record<string, unknown>, bv: number, bs: number): unknown {
  const v = finite(record.v);
  if (v !== undefined) return bv + v;
  if (typeof record.vs === 'string') return record.vs;
  if (typeof record.vb === 'boolean') return record.vb;
  if (typeof record.vd === 'string') return record.vd;
  const s = finite(record.s);
  return s === undefined ? undefined : bs + s;
}
