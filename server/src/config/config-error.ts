/** A configuration problem that stops start-up: one line, naming the failing path and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: ${expected}`);
    this.name = 'ConfigError';
  }
}
