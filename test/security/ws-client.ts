/** A WebSocket to /ws that resolves with its first message (the snapshot), or with the HTTP status that refused it. */
import WebSocket from 'ws';
import type { LiveEntity } from '../../server/src/contract/index.js';

export type WsOutcome =
  { kind: 'snapshot'; entities: LiveEntity[]; socket: WebSocket } | { kind: 'refused'; status: number };

export function openLive(
  httpUrl: string,
  headers: Record<string, string> = {},
  query = '',
): Promise<WsOutcome> {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws${query}`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve({ kind: 'refused', status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; entities: LiveEntity[] };
      if (message.type === 'snapshot') resolve({ kind: 'snapshot', entities: message.entities, socket });
      else reject(new Error(`expected a snapshot first, got ${message.type}`));
    });
    socket.on('error', (error) => reject(error));
  });
}

/** The close code of a socket, once it closes. */
export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code: number) => resolve(code)));
}
