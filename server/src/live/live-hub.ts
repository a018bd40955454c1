/**
 * The WebSocket hub: a snapshot on connect, then coalesced deltas on a timer.
 *
 * Every LIVE_FLUSH_MS the hub takes the engine's changed entities, serialises each once,
 * and sends one frame per filter to every client with nothing pending (the frame buffer
 * is shared, so 500 identical dashboards cost one JSON.stringify). A client whose socket
 * buffer is over the bound is skipped: its changes wait in a map keyed by entity, so it
 * later gets only the newest state of each. A client stalled past the drop limit is closed.
 * Nobody is ever awaited, so one slow browser cannot hold up the others.
 */
import type { WebSocket } from 'ws';
import {
  DOMAINS,
  LIVE_CLOSE,
  LIVE_FLUSH_MS,
  LIVE_HEARTBEAT_MS,
  LIVE_PROTOCOL_VERSION,
  isDomain,
  type ClientMessage,
  type Domain,
  type LiveEntity,
  type LiveFilter,
} from '../contract/index.js';
import type { IndicatorEngine } from './indicator-engine.js';

export interface HubOptions {
  flushMs?: number;
  heartbeatMs?: number;
  /** Skip a client's frame while this many bytes are still unsent on its socket. */
  maxBufferedBytes?: number;
  /** Close a client that could not take a frame for this long. */
  dropAfterMs?: number;
}

export interface HubStats {
  clients: number;
  frames: number;
  skipped: number;
  dropped: number;
}

/** Another producer of entities (the alerts): its entities ride on the same snapshots and frames. */
export interface LiveSource {
  entities(): Iterable<LiveEntity>;
  takeChanges(now: number): LiveEntity[];
}

/**
 * What a client may see at most, whatever it subscribes to (the public view of an anonymous
 * client). Clients with the same scope key and filter share frames.
 */
export interface LiveScope {
  key: string;
  allows(entity: LiveEntity): boolean;
}

interface Client {
  socket: WebSocket;
  filter: LiveFilter;
  scope: LiveScope | undefined;
  filterKey: string;
  pending: Map<string, string>;
  stalledSince: number | undefined;
  alive: boolean;
}

const OPEN = 1;
const TEXT = { binary: false } as const;
const MAX_FILTER_ITEMS = 1000;

export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly sources: LiveSource[] = [];
  private readonly json = new WeakMap<LiveEntity, string>();
  private readonly options: Required<HubOptions>;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private readonly counters = { frames: 0, skipped: 0, dropped: 0 };

  constructor(
    private readonly engine: IndicatorEngine,
    options: HubOptions = {},
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.options = {
      flushMs: options.flushMs ?? LIVE_FLUSH_MS,
      heartbeatMs: options.heartbeatMs ?? LIVE_HEARTBEAT_MS,
      maxBufferedBytes: options.maxBufferedBytes ?? 512 * 1024,
      dropAfterMs: options.dropAfterMs ?? 10_000,
    };
  }

  start(): void {
    this.flushTimer ??= setInterval(() => this.flush(Date.now()), this.options.flushMs);
    this.heartbeatTimer ??= setInterval(() => this.heartbeat(Date.now()), this.options.heartbeatMs);
  }

  stop(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.heartbeatTimer);
    this.flushTimer = this.heartbeatTimer = undefined;
    for (const client of this.clients) client.socket.close(LIVE_CLOSE.shuttingDown, 'server shutting down');
    this.clients.clear();
  }

  addSource(source: LiveSource): void {
    this.sources.push(source);
  }

  stats(): HubStats {
    return { clients: this.clients.size, ...this.counters };
  }

  add(socket: WebSocket, filter: LiveFilter, scope?: LiveScope): void {
    const client: Client = {
      socket,
      filter,
      scope,
      filterKey: filterKey(filter, scope),
      pending: new Map(),
      stalledSince: undefined,
      alive: true,
    };
    this.clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      client.alive = true;
      this.onMessage(client, isBinary ? '' : data.toString());
    });
    this.sendSnapshot(client);
  }

  private onMessage(client: Client, text: string): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(text) as ClientMessage;
    } catch {
      return this.send(client, JSON.stringify({ type: 'error', message: 'expected a JSON message' }));
    }
    if (message.type === 'ping') {
      this.send(
        client,
        JSON.stringify({ type: 'pong', at: Date.now(), ...(message.id ? { id: message.id } : {}) }),
      );
    } else if (message.type === 'subscribe') {
      const filter = parseFilter(message.filter);
      if (typeof filter === 'string')
        return this.send(client, JSON.stringify({ type: 'error', message: filter }));
      client.filter = filter;
      client.filterKey = filterKey(filter, client.scope);
      client.pending.clear();
      this.sendSnapshot(client);
    } else if (message.type !== 'pong') {
      this.send(client, JSON.stringify({ type: 'error', message: 'unknown message type' }));
    }
  }

  private serialise(entity: LiveEntity): string {
    let text = this.json.get(entity);
    if (text === undefined) {
      text = JSON.stringify(entity);
      this.json.set(entity, text);
    }
    return text;
  }

  private sendSnapshot(client: Client): void {
    const parts: string[] = [];
    for (const entity of this.engine.entities()) {
      if (visible(client, entity)) parts.push(this.serialise(entity));
    }
    for (const source of this.sources) {
      for (const entity of source.entities()) if (visible(client, entity)) parts.push(this.serialise(entity));
    }
    const head = JSON.stringify({
      type: 'snapshot',
      v: LIVE_PROTOCOL_VERSION,
      at: Date.now(),
      filter: client.filter,
    });
    this.send(client, `${head.slice(0, -1)},"entities":[${parts.join(',')}]}`);
  }

  private send(client: Client, frame: string | Buffer): void {
    if (client.socket.readyState !== OPEN) return;
    client.socket.send(frame, TEXT);
    this.counters.frames++;
  }

  /** One flush: exposed for tests, called by the timer otherwise. */
  flush(now: number): void {
    const changes = this.engine.takeChanges(now);
    for (const source of this.sources) changes.push(...source.takeChanges(now));
    if (this.clients.size === 0) return;
    const seq = ++this.seq;
    const groups = new Map<string, { entries: [string, string][]; frame?: Buffer }>();
    for (const client of this.clients) {
      if (client.socket.readyState !== OPEN) continue;
      let group = groups.get(client.filterKey);
      if (!group) {
        const entries: [string, string][] = [];
        for (const e of changes) if (visible(client, e)) entries.push([e.key, this.serialise(e)]);
        group = { entries };
        groups.set(client.filterKey, group);
      }
      if (group.entries.length === 0 && client.pending.size === 0) continue;
      if (client.socket.bufferedAmount > this.options.maxBufferedBytes) {
        for (const [key, text] of group.entries) client.pending.set(key, text);
        this.counters.skipped++;
        client.stalledSince ??= now;
        if (now - client.stalledSince > this.options.dropAfterMs) this.drop(client);
        continue;
      }
      client.stalledSince = undefined;
      if (client.pending.size === 0) {
        group.frame ??= Buffer.from(
          deltaFrame(
            seq,
            now,
            group.entries.map(([, text]) => text),
          ),
        );
        this.send(client, group.frame);
      } else {
        for (const [key, text] of group.entries) client.pending.set(key, text);
        this.send(client, deltaFrame(seq, now, [...client.pending.values()]));
        client.pending.clear();
      }
    }
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    this.counters.dropped++;
    this.log(`live: dropping a client stalled for over ${this.options.dropAfterMs} ms`);
    client.socket.close(LIVE_CLOSE.slowConsumer, 'too slow');
    // The close frame waits behind the unsent data; do not wait for a reader that has stopped.
    setTimeout(() => client.socket.terminate(), 2_000).unref();
  }

  private heartbeat(now: number): void {
    const ping = JSON.stringify({ type: 'ping', at: now });
    for (const client of this.clients) {
      if (!client.alive) {
        this.clients.delete(client);
        client.socket.close(LIVE_CLOSE.heartbeatTimeout, 'no answer to ping');
        setTimeout(() => client.socket.terminate(), 2_000).unref();
        continue;
      }
      client.alive = false;
      if (client.socket.readyState !== OPEN) continue;
      client.socket.ping();
      // Browsers cannot see protocol pings: the JSON ping lets the page notice a dead link.
      if (client.socket.bufferedAmount <= this.options.maxBufferedBytes) this.send(client, ping);
    }
  }
}

function deltaFrame(seq: number, at: number, entities: string[]): string {
  return `{"type":"delta","at":${at},"seq":${seq},"entities":[${entities.join(',')}]}`;
}

export function matches(filter: LiveFilter, entity: LiveEntity): boolean {
  if (filter.domains?.length && !filter.domains.includes(entity.domain)) return false;
  if (filter.pilots?.length && (entity.pilot === null || !filter.pilots.includes(entity.pilot))) return false;
  if (filter.sites?.length && entity.scope !== 'pilot' && !filter.sites.includes(entity.site ?? ''))
    return false;
  return true;
}

function visible(client: Client, entity: LiveEntity): boolean {
  return matches(client.filter, entity) && (client.scope?.allows(entity) ?? true);
}

function filterKey(filter: LiveFilter, scope: LiveScope | undefined): string {
  return JSON.stringify([filter.domains ?? [], filter.pilots ?? [], filter.sites ?? [], scope?.key ?? '']);
}

/** A filter from a subscribe message, or an error text. */
export function parseFilter(value: unknown): LiveFilter | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return 'filter: expected an object';
  const raw = value as Record<string, unknown>;
  const filter: LiveFilter = {};
  for (const field of ['domains', 'pilots', 'sites'] as const) {
    const list = raw[field];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length > MAX_FILTER_ITEMS || !list.every((x) => typeof x === 'string'))
      return `filter.${field}: expected a list of strings`;
    if (field === 'domains') {
      const bad = list.find((x) => !isDomain(x));
      if (bad !== undefined)
        return `filter.domains: unknown domain "${String(bad)}", expected ${DOMAINS.join(', ')}`;
      filter.domains = list as Domain[];
    } else filter[field] = list;
  }
  return filter;
}

/** The filter given in the WebSocket URL: `/ws?domain=waste,energy&pilot=…&site=…`. */
export function filterFromQuery(query: Record<string, string | undefined>): LiveFilter | string {
  const list = (text: string | undefined) => (text ? text.split(',').filter(Boolean) : undefined);
  const raw: Record<string, string[] | undefined> = {
    domains: list(query.domain),
    pilots: list(query.pilot),
    sites: list(query.site),
  };
  return parseFilter(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
}
