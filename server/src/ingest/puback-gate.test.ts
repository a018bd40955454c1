import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { PubackGate } from './puback-gate.js';

/** The two things the gate touches on an MQTT.js client: `_sendPacket` and its events. */
function fakeClient() {
  const sent: number[] = [];
  const client = Object.assign(new EventEmitter(), {
    _sendPacket(packet: { cmd: string; messageId?: number }, cb?: () => void) {
      if (packet.messageId !== undefined) sent.push(packet.messageId);
      cb?.();
    },
  });
  const send = (id: number) => {
    let moved = false;
    (client as unknown as { _sendPacket: (p: object, cb: () => void) => void })._sendPacket(
      { cmd: 'puback', messageId: id },
      () => (moved = true),
    );
    return moved;
  };
  return { client, sent, send };
}

describe('PubackGate', () => {
  it('holds a PUBACK until released, letting MQTT.js move on at once', () => {
    const { client, sent, send } = fakeClient();
    const gate = new PubackGate(client as unknown as MqttClient);
    const release = gate.hold(7);
    expect(send(7)).toBe(true);
    expect(sent).toEqual([]);
    release();
    expect(sent).toEqual([7]);
    // Released before MQTT.js got to it: sent as soon as it does.
    gate.hold(8)();
    send(8);
    expect(sent).toEqual([7, 8]);
  });

  it('drops the held PUBACKs of a connection that closed: the broker re-delivers those messages', () => {
    const { client, sent, send } = fakeClient();
    const gate = new PubackGate(client as unknown as MqttClient);
    const release = gate.hold(9);
    send(9);
    client.emit('close');
    release();
    expect(sent).toEqual([]);
    expect(gate.heldCount).toBe(0);
  });
});
