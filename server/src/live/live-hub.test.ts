import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type {
  DeltaMessage,
  EnergyAggregate,
  MobilityAggregate,
  Reading,
  ServerMessage,
  SnapshotMessage,
  WasteAggregate,
} from '../contract/index.js';
import { DeviceTracker } from './device-tracker.js';
import { IndicatorEngine } from './indicator-engine.js';
import { LiveHub, filterFromQuery } from './live-hub.js';

const registry = loadRegistry('config/portfolio.yaml');
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

/** Just enough of a ws socket: records frames, with a settable send buffer. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: ServerMessage[] = [];
  closedWith: number | undefined;
  send(data: string | Buffer): void {
    this.sent.push(JSON.parse(data.toString()) as ServerMessage);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
  receive(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

function setup() {
  const tracker = new DeviceTracker(registry);
  const engine = new IndicatorEngine(registry, tracker, T0);
  const hub = new LiveHub(engine, { maxBufferedBytes: 1000, dropAfterMs: 5_000 });
  const read = (reading: Partial<Reading> & Pick<Reading, 'device' | 'domain' | 'metrics'>) => {
    const r: Reading = { site: '', ts: T0, seq: 1, simulated: false, receivedAt: T0, ...reading };
    tracker.onReading(r);
    engine.onReading(r);
  };
  const connect = (filter = {}) => {
    const socket = new FakeSocket();
    hub.add(socket as unknown as WebSocket, filter);
    return socket;
  };
  return { tracker, engine, hub, read, connect };
}

describe('live hub', () => {
  it('sends a snapshot, then coalesced deltas with only the changed entities', () => {
    const { hub, read, connect } = setup();
    const socket = connect();
    const snapshot = socket.sent[0] as SnapshotMessage;
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.entities.filter((e) => e.scope === 'pilot')).toHaveLength(3);
    hub.flush(T0);
    read({ device: 'bin-nikea-02', domain: 'waste', metrics: { fill: 0.5 } });
    read({ device: 'bin-nikea-02', domain: 'waste', metrics: { fill: 0.9 }, ts: T0 + 1 });
    hub.flush(T0 + 250);
    const delta = socket.sent.at(-1) as DeltaMessage;
    expect(delta.type).toBe('delta');
    const keys = delta.entities.map((e) => e.key).sort();
    expect(keys).toEqual(['device:bin-nikea-02', 'pilot:smart-waste', 'site:nikea:waste']);
    const site = delta.entities.find((e) => e.key === 'site:nikea:waste') as WasteAggregate | undefined;
    expect(site?.indicators).toMatchObject({
      meanFill: 0.9,
      full: 1,
      reporting: 1,
    });
  });

  it('applies subscriptions by domain and answers with a fresh snapshot', () => {
    const { hub, read, connect } = setup();
    const socket = connect();
    socket.receive({ type: 'subscribe', filter: { domains: ['energy'] } });
    const snapshot = socket.sent.at(-1) as SnapshotMessage;
    expect(snapshot.type).toBe('snapshot');
    expect(new Set(snapshot.entities.map((e) => e.domain))).toEqual(new Set(['energy']));
    hub.flush(T0);
    const before = socket.sent.length;
    read({ device: 'bin-nikea-02', domain: 'waste', metrics: { fill: 0.5 } });
    hub.flush(T0 + 250);
    expect(socket.sent.length).toBe(before);
    socket.receive({ type: 'ping', id: 'x' });
    expect(socket.sent.at(-1)).toMatchObject({ type: 'pong', id: 'x' });
    expect(filterFromQuery({ domain: 'waste,nope' })).toMatch(/unknown domain/);
  });

  it('coalesces a slow client without holding up the others, and drops it after a long stall', () => {
    const { hub, read, connect } = setup();
    const fast = connect();
    const slow = connect();
    hub.flush(T0);
    slow.bufferedAmount = 10_000;
    for (let i = 1; i <= 5; i++) {
      read({ device: 'bin-nikea-02', domain: 'waste', metrics: { fill: i / 10 }, ts: T0 + i });
      hub.flush(T0 + i * 250);
    }
    expect(fast.sent.filter((m) => m.type === 'delta')).toHaveLength(5);
    expect(slow.sent.filter((m) => m.type === 'delta')).toHaveLength(0);
    slow.bufferedAmount = 0;
    hub.flush(T0 + 2_000);
    const catchUp = slow.sent.filter((m): m is DeltaMessage => m.type === 'delta');
    expect(catchUp).toHaveLength(1);
    const bin = catchUp[0]?.entities.find((e) => e.key === 'device:bin-nikea-02');
    expect(bin?.scope === 'device' && bin.values.fill).toBe(0.5);

    slow.bufferedAmount = 10_000;
    read({ device: 'bin-nikea-02', domain: 'waste', metrics: { fill: 0.7 }, ts: T0 + 10 });
    hub.flush(T0 + 3_000);
    hub.flush(T0 + 9_000);
    expect(slow.closedWith).toBe(4008);
    expect(hub.stats()).toMatchObject({ clients: 1, dropped: 1 });
  });

  it('counts mobility by hour and day once per reading, and energy since midnight', () => {
    const { engine, read } = setup();
    const counts = { pedestrian_in: 10, pedestrian_out: 5, bicycle_in: 2, bicycle_out: 1, interval_s: 900 };
    read({ device: 'counter-nikea', domain: 'mobility', metrics: counts, ts: T0 + 900_000 });
    read({ device: 'counter-nikea', domain: 'mobility', metrics: counts, ts: T0 + 900_000 }); // re-delivery
    read({ device: 'meter-city-hall', domain: 'energy', metrics: { energy_kwh: 100, power_kw: 4 }, ts: T0 });
    read({
      device: 'meter-city-hall',
      domain: 'energy',
      metrics: { energy_kwh: 103, power_kw: 6 },
      ts: T0 + 9e5,
    });
    const changes = engine.takeChanges(T0 + 1_000_000);
    const mobility = changes.find((e) => e.key === 'pilot:active-mobility') as MobilityAggregate | undefined;
    expect(mobility?.indicators.today).toMatchObject({
      pedestrian: { in: 10, out: 5 },
      bicycle: { in: 2, out: 1 },
    });
    const energy = changes.find((e) => e.key === 'site:city-hall:energy') as EnergyAggregate | undefined;
    expect(energy?.indicators).toMatchObject({ kw: 6, kwhToday: 3 });
  });
});
