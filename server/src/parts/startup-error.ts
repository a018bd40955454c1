/** A start-up failure with one line naming the setting to change (main.ts exits with code 2). */
export class StartupError extends Error {}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
