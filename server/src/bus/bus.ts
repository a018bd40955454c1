/**
 * The one in-process bus every accepted message fans out through. The durable
 * sink (the store writer) owns the MQTT acknowledgement; observers (live engine,
 * device tracker, alert rules) only read. An observer that throws is logged, never fatal.
 */
import type { DeviceEvent, DeviceStatusChange, Reading } from '../contract/index.js';

export interface BusMessages {
  reading: Reading;
  status: DeviceStatusChange;
  event: DeviceEvent;
}

export type Ack = () => void;
export type DurableSink = (reading: Reading, ack: Ack) => void;
type Observer<K extends keyof BusMessages> = (message: BusMessages[K]) => void;

export class Bus {
  private durable: DurableSink | undefined;
  private readonly observers: { [K in keyof BusMessages]: Observer<K>[] } = {
    reading: [],
    status: [],
    event: [],
  };

  constructor(private readonly onObserverError: (error: unknown, type: keyof BusMessages) => void) {}

  setDurableSink(sink: DurableSink): void {
    this.durable = sink;
  }

  on<K extends keyof BusMessages>(type: K, observer: Observer<K>): () => void {
    const list = this.observers[type] as Observer<K>[];
    list.push(observer);
    return () => {
      const i = list.indexOf(observer);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** A reading goes to the durable sink (which acknowledges it once stored) and then to every observer. */
  publishReading(reading: Reading, ack: Ack): void {
    if (!this.durable) throw new Error('no durable sink registered on the bus');
    this.durable(reading, ack);
    this.notify('reading', reading);
  }

  notify<K extends keyof BusMessages>(type: K, message: BusMessages[K]): void {
    for (const observer of this.observers[type] as Observer<K>[]) {
      try {
        observer(message);
      } catch (error) {
        this.onObserverError(error, type);
      }
    }
  }
}
