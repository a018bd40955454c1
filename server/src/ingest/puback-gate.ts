/**
 * Holds MQTT.js's PUBACK for a QoS 1 message until the message is durably stored.
 *
 * Why not delay MQTT.js's own callbacks (`handleMessage`, or `customHandleAcks`,
 * which it honours only for MQTT 5)? MQTT.js handles incoming packets strictly one
 * after another: it reads the next PUBLISH only after the previous PUBACK was
 * written, so delaying them would store one message per store write. Instead the
 * callbacks return at once and this gate intercepts the PUBACK packet, releasing
 * it when the batch that holds the message has been written.
 */
import type { MqttClient } from 'mqtt';

interface Held {
  released: boolean;
  send: (() => void) | undefined;
}

type SendPacket = (
  packet: { cmd: string; messageId?: number },
  cb?: (error?: Error) => void,
  ...rest: unknown[]
) => void;

export class PubackGate {
  private held = new Map<number, Held>();
  private generation = 0;

  constructor(private readonly client: MqttClient) {
    const original = (client['_sendPacket'] as SendPacket).bind(client);
    const patched: SendPacket = (packet, cb, ...rest) => {
      const id = packet.messageId;
      const entry = packet.cmd === 'puback' && id !== undefined ? this.held.get(id) : undefined;
      if (!entry) return original(packet, cb, ...rest);
      // Let MQTT.js move on to the next packet now; the PUBACK itself goes out on release.
      cb?.();
      if (entry.released) {
        this.held.delete(id as number);
        original(packet, undefined, ...rest);
      } else {
        entry.send = () => original(packet, undefined, ...rest);
      }
    };
    (client as unknown as { _sendPacket: SendPacket })._sendPacket = patched;
    // Once the connection is gone its held PUBACKs are void: the broker re-delivers those messages on
    // the next one (the store ignores the copies). Released into a closed connection, MQTT.js would
    // queue them and, after the reconnect, send the whole queue in one recursion: past some ten
    // thousand (a store outage's worth) that overflowed the stack.
    const invalidate = () => {
      this.generation += 1;
      this.held.clear();
    };
    client.on('close', invalidate);
    client.on('connect', invalidate);
  }

  /** Registers a QoS 1 message and returns the function that releases its PUBACK. */
  hold(messageId: number): () => void {
    const entry: Held = { released: false, send: undefined };
    this.held.set(messageId, entry);
    const generation = this.generation;
    return () => {
      if (generation !== this.generation || this.held.get(messageId) !== entry) return;
      if (entry.send) {
        this.held.delete(messageId);
        entry.send();
      } else {
        entry.released = true;
      }
    };
  }

  get heldCount(): number {
    return this.held.size;
  }
}
