/**
 * The MQTT brokers an integration test runs against: the in-process aedes
 * broker always, and a real Mosquitto whenever MQTT_URL is set (as CI does).
 */
import { createServer } from 'node:net';

export interface BrokerTarget {
  name: string;
  /** Undefined: the server under test starts its embedded aedes broker. */
  url: string | undefined;
}

export function brokerTargets(): BrokerTarget[] {
  const targets: BrokerTarget[] = [{ name: 'embedded aedes', url: undefined }];
  const external = process.env.MQTT_URL;
  if (external) targets.push({ name: `external broker ${external}`, url: external });
  else warnOnce('MQTT_URL is not set: skipping the runs against a real Mosquitto (CI sets it).');
  return targets;
}

const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`\n[SKIP] ${message}\n`);
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
  );
}
