/** Quoting for identifiers that the contract already restricts; refuses anything else rather than escaping it. */
const SAFE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function sqlStringList(values: readonly string[]): string {
  for (const value of values) {
    if (!SAFE.test(value)) throw new Error(`refusing unsafe identifier in query: ${JSON.stringify(value)}`);
  }
  return values.map((value) => `'${value}'`).join(', ');
}
