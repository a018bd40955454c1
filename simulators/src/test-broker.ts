/** Test support: a broker URL from $MQTT_URL, or an in-process aedes broker on a free local port. */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestBroker {
  url: string;
  close(): Promise<void>;
}

export async function testBroker(): Promise<TestBroker | { skip: string }> {
  if (process.env.MQTT_URL) return { url: process.env.MQTT_URL, close: () => Promise.resolve() };
  try {
    const { Aedes } = await import('aedes');
    const broker = await Aedes.createBroker();
    const server: Server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `mqtt://127.0.0.1:${port}`,
      close: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => broker.close(() => resolve()));
      },
    };
  } catch (error) {
    return {
      skip: `no MQTT_URL and no in-process aedes broker (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
