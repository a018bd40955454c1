/**
 * A dashboard's view of `GET /ws`: the snapshot, then every delta applied, kept as the newest
 * entity per key. One function opens the socket, so credentials (an Authorization header) are
 * added in one place once the live stream requires them.
 */
import WebSocket from 'ws';
import type { LiveEntity, ServerMessage } from '../../server/src/contract/index.js';

export interface LiveView {
  entities: Map<string, LiveEntity>;
  frames: number;
  close(): Promise<void>;
}

export async function openLiveView(httpUrl: string, headers: Record<string, string> = {}): Promise<LiveView> {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws`, { headers });
  const view: LiveView = {
    entities: new Map(),
    frames: 0,
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'snapshot') view.entities.clear();
    if (message.type === 'snapshot' || message.type === 'delta') {
      view.frames++;
      for (const entity of message.entities) view.entities.set(entity.key, entity);
    } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`/ws refused: HTTP ${response.statusCode ?? '?'}`)),
    );
  });
  return view;
}
