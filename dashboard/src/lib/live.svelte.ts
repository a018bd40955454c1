/**
 * The dashboard's one WebSocket: snapshot, then deltas merged by entity key. It reconnects with
 * backoff and then gets a fresh snapshot, so nothing missed while away is ever stale. The browser
 * sends the session cookie with the handshake; after signing in or out the page calls `restart()`
 * (or `stop()`), and a socket refused or closed for its session reports it through `onSessionLost`.
 */
import { LIVE_CLOSE, LIVE_HEARTBEAT_MS, LIVE_PATH, type LiveEntity, type ServerMessage } from './contract.js';

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
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Deltas received since the last repaint: the server may send 20 frames a second, the page repaints at most once per animation frame. */
  private pending = new Map<string, LiveEntity>();
  private applyScheduled = false;
  /** Called when the server ended the socket's session, or refused a socket before it opened (maybe a 401). */
  onSessionLost: () => void = () => undefined;

  constructor(private readonly url = defaultUrl()) {}

  start(): void {
    this.connect();
    // A half-open TCP link never fires `close`: treat silence past two heartbeats as a drop.
    this.watchdog ??= setInterval(() => {
      if (this.state === 'open' && Date.now() - this.lastMessage > 2.5 * LIVE_HEARTBEAT_MS)
        this.socket?.close();
    }, 5_000);
  }

  /** A new socket now, e.g. after signing in: the snapshot then holds what this user may see. */
  restart(): void {
    this.halt();
    this.attempts = 0;
    this.start();
  }

  stop(): void {
    this.halt();
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.pending.clear();
    this.entities = {};
    this.state = 'closed';
  }

  private halt(): void {
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }

  private connect(): void {
    this.state = 'connecting';
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => (opened = true);
    socket.onmessage = (event) => {
      this.lastMessage = Date.now();
      this.handle(JSON.parse(String(event.data)) as ServerMessage);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.state = 'closed';
      if (event.code === LIVE_CLOSE.sessionEnded || !opened) this.onSessionLost();
      const wait = Math.min(10_000, 500 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
      this.retry = setTimeout(() => this.connect(), wait);
    };
  }

  private handle(message: ServerMessage): void {
    if (message.type === 'snapshot') {
      this.attempts = 0;
      this.skewMs = message.at - Date.now();
      this.pending.clear();
      this.entities = Object.fromEntries(message.entities.map((e) => [e.key, e]));
      this.state = 'open';
    } else if (message.type === 'delta') {
      for (const entity of message.entities) this.pending.set(entity.key, entity);
      this.scheduleApply();
    } else if (message.type === 'ping') {
      this.socket?.send(JSON.stringify({ type: 'pong' }));
    }
  }

  private scheduleApply(): void {
    if (this.applyScheduled) return;
    this.applyScheduled = true;
    // Hidden tabs get no animation frames: the timer still applies deltas, at the browser's slower pace.
    const fallback = setTimeout(() => this.applyPending(), 250);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      this.applyPending();
    });
  }

  private applyPending(): void {
    if (!this.applyScheduled) return;
    this.applyScheduled = false;
    if (this.pending.size === 0) return;
    const next = { ...this.entities };
    for (const [key, entity] of this.pending) next[key] = entity;
    this.pending.clear();
    this.entities = next;
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${LIVE_PATH}`;
}
