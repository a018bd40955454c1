/**
 * The embedded aedes broker, started when MQTT_URL is unset. With a BrokerAuth (DEVICE_KEY set)
 * every client must authenticate and stays within its topic ACL; without one it is open, which
 * settings only allow on a loopback address (MQTT_EMBEDDED_HOST).
 */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { BrokerAuth } from './broker-auth.js';

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(
  port: number,
  host = '127.0.0.1',
  auth?: BrokerAuth,
): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker(auth ? auth.hooks() : {});
  const server: Server = createServer(broker.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // The broker already runs its timers: a port that is taken must not leave them behind.
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `mqtt://${urlHost}:${actualPort}`,
    port: actualPort,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
