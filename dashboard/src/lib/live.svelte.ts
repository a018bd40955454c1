/**
 * The dashboard's one WebSocket: snapshot, then deltas merged by entity key. It reconnects with
 * backoff and then gets a fresh snapshot, so nothing missed while away is ever stale.
 */
import { LIVE_HEARTBEAT_MS, LIVE_PATH, type LiveEntity, type ServerMessage } from './contract.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class LiveConnection {
  state = $state<ConnectionState>('connecting');
  entities = $state.raw<Record<string, LiveEntity>>({});
  /** Server clock minus browser clock, so ages are not distorted by a wrong PC clock. */
  skewMs = $state(0);
  private socket: WebSocket | undefined;
  private attempts = 0;
  private lastMessage = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly url = defaultUrl()) {}

  start(): void {
    this.connect();
    // A half-open TCP link never fires `close`: treat silence past two heartbeats as a drop.
    this.watchdog = setInterval(() => {
      if (this.state === 'open' && Date.now() - this.lastMessage > 2.5 * LIVE_HEARTBEAT_MS)
        this.socket?.close();
    }, 5_000);
  }

  stop(): void {
    clearInterval(this.watchdog);
    this.socket?.close();
  }

  private connect(): void {
    this.state = 'connecting';
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onmessage = (event) => {
      this.lastMessage = Date.now();
      this.handle(JSON.parse(String(event.data)) as ServerMessage);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.state = 'closed';
      const wait = Math.min(10_000, 500 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
      setTimeout(() => this.connect(), wait);
    };
  }

  private handle(message: ServerMessage): void {
    if (message.type === 'snapshot') {
      this.attempts = 0;
      this.skewMs = message.at - Date.now();
      this.entities = Object.fromEntries(message.entities.map((e) => [e.key, e]));
      this.state = 'open';
    } else if (message.type === 'delta') {
      const next = { ...this.entities };
      for (const entity of message.entities) next[entity.key] = entity;
      this.entities = next;
    } else if (message.type === 'ping') {
      this.socket?.send(JSON.stringify({ type: 'pong' }));
    }
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${LIVE_PATH}`;
}
