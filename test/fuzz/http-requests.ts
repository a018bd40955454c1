/**
 * fast-check requests for the HTTP fuzz, built from the OpenAPI document: for each declared parameter a
 * plausible value (enum member, known id, number in or at the edge of its range) or a hostile one
 * (NaN-like text, huge numbers, broken percent-escapes, unicode, very long), plus unknown and repeated keys.
 */
import fc from 'fast-check';

const DAY = 86_400_000;

export interface Parameter {
  in: 'query' | 'path';
  name: string;
  required?: boolean;
  schema: {
    type?: string;
    enum?: string[];
    anyOf?: { enum?: string[] }[];
    minimum?: number;
    maximum?: number;
  };
}
export interface Route {
  path: string;
  parameters: Parameter[];
}

const hostile = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '-0',
    '0x1F',
    '1.5',
    '99999999999999999999999',
  ),
  fc.constantFrom(
    'null',
    'undefined',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    "' OR 1=1 --",
  ),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%ff%fe', '+', '&', '=', '#', '%23'),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: 60, max: 5000 }).map((n) => 'a'.repeat(n)),
);

function enumOf(p: Parameter): string[] {
  return p.schema.enum ?? (p.schema.anyOf ?? []).flatMap((s) => s.enum ?? []);
}

export interface Pools {
  ids: Record<string, string[]>;
  now: number;
}

/** A value the route might accept: an enum member, an id it knows, a number in or at the edge of its range. */
function plausible(route: Route, p: Parameter, pools: Pools): fc.Arbitrary<string> {
  const members = enumOf(p);
  if (members.length > 0) return fc.constantFrom(...members);
  if (p.schema.type === 'integer') {
    const lo = p.schema.minimum ?? 0;
    const hi = p.schema.maximum ?? pools.now + DAY;
    const times = ['from', 'to'].includes(p.name) ? [pools.now - 3 * DAY, pools.now - DAY, pools.now] : [];
    return fc.oneof(
      fc.constantFrom(lo, hi, lo - 1, hi + 1, ...times).map(String),
      fc.integer({ min: lo, max: Math.min(hi, Number.MAX_SAFE_INTEGER) }).map(String),
    );
  }
  const known = pools.ids[`${route.path} ${p.name}`] ?? pools.ids[p.name] ?? [];
  return known.length > 0 ? fc.constantFrom(...known) : fc.constantFrom('24h', '2d', '7d', '8d', 'abc');
}

/** One request target: the route's path with its path parameters filled in, and a query string. */
export function requestFor(route: Route, pools: Pools): fc.Arbitrary<string> {
  const value = (p: Parameter) => fc.oneof({ arbitrary: plausible(route, p, pools), weight: 3 }, hostile);
  const pathParams = route.parameters.filter((p) => p.in === 'path');
  const queryParams = route.parameters.filter((p) => p.in === 'query');
  const path = fc
    .tuple(...pathParams.map((p) => value(p).map((v) => [p.name, v] as const)))
    .map((pairs) => pairs.reduce((url, [name, v]) => url.replace(`{${name}}`, v), route.path));
  const declared = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        fc.array(value(p), { minLength: 1, maxLength: 2 }).map((vs) => vs.map((v) => `${p.name}=${v}`)),
        { freq: p.required ? 8 : 2 },
      ),
    ),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('x', 'limit', '__proto__', ''),
        fc.string({ maxLength: 8 }).map(encodeURIComponent),
      ),
      hostile,
    ),
    { maxLength: 2 },
  );
  const raw = fc.constantFrom('', '&', '&&', '=', '==', '&=&', '%', '?');
  return fc.tuple(path, declared, extra, raw).map(([p, d, e, r]) => {
    const parts = [...d.flatMap((x) => x ?? []), ...e.map(([k, v]) => `${k}=${v}`)];
    return `${p}?${parts.join('&')}${r}`;
  });
}
