/**
 * `--format`: the simulated devices speak the systems real devices arrive through (a portfolio
 * source, server/src/sources/). A device bound by `source:` to a source of the chosen format (or,
 * with `sources`, to any source) is published in that source's envelope, on its topic, under its
 * external id; every other device keeps the native contract. Events and statuses stay native.
 */
import { createHash } from 'node:crypto';
import {
  SOURCE_FORMATS,
  type SourceConfig,
  type SourceFormatName,
} from '../../server/src/config/portfolio-schema.js';
import type { Registry } from '../../server/src/config/registry.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { sourceTopic } from '../../server/src/sources/source-check.js';
import { sourceUsername } from '../../server/src/sources/source-acl.js';
import type { OutMessage } from './fleet.js';
import { decodedObject, senmlRecords } from './vendor-payloads.js';

/** The formats the simulator speaks (json has no fixed shape to simulate). */
export const SIM_FORMATS = ['native', ...SOURCE_FORMATS.filter((f) => f !== 'json'), 'sources'] as const;
export type SimFormat = (typeof SIM_FORMATS)[number];

/** Formats a network server or gateway publishes for its devices: the message goes out as the source's identity. */
const RELAYED: ReadonlySet<SourceFormatName> = new Set(['ttn-v3', 'chirpstack-v4', 'senml']);

export interface Publisher {
  /** The MQTT user the device's messages are published as (with a device key). */
  identity: string;
  /** False for a network server's devices: no last will, no status on the contract's topics. */
  announces: boolean;
}

export interface MessageFormatter {
  /** Telemetry of a bound device in its source's format; anything else unchanged. */
  encode(message: OutMessage): OutMessage[];
  publisher(deviceId: string): Publisher;
  /** Devices published in another format than the native one. */
  readonly bound: number;
}

interface Binding {
  source: SourceConfig;
  externalId: string;
}

export function messageFormatter(registry: Registry, format: SimFormat): MessageFormatter {
  const sources = new Map((registry.portfolio.sources ?? []).map((s) => [s.id, s]));
  const bindings = new Map<string, Binding>();
  if (format !== 'native') {
    for (const device of registry.devices.values()) {
      const source = device.source ? sources.get(device.source.id) : undefined;
      if (!source || !device.source || source.format === 'json') continue;
      if (format === 'sources' || source.format === format)
        bindings.set(device.id, { source, externalId: device.source.external_id });
    }
  }
  const calendar = new LocalCalendar(registry.portfolio.timezone);
  return {
    bound: bindings.size,
    publisher(deviceId) {
      const binding = bindings.get(deviceId);
      if (!binding || !RELAYED.has(binding.source.format)) return { identity: deviceId, announces: true };
      return { identity: sourceUsername(binding.source.id), announces: false };
    },
    encode(message) {
      const binding = bindings.get(message.device);
      if (!binding || message.kind !== 'telemetry' || typeof message.payload === 'string') {
        if (!binding || typeof message.payload !== 'string') return [message];
        // A deliberately malformed reading goes out on the source's topic, still malformed.
        const { identity } = this.publisher(message.device);
        const as = identity !== message.device ? { as: identity } : {};
        return [{ ...message, topic: topicFor(binding, [binding.externalId]), ...as }];
      }
      const encoded = ENCODERS[binding.source.format as Exclude<SourceFormatName, 'json'>](
        binding,
        message,
        calendar,
      );
      const { identity } = this.publisher(message.device);
      return encoded.map(({ topic, payload }) => ({
        ...message,
        topic,
        payload,
        ...(identity !== message.device ? { as: identity } : {}),
      }));
    },
  };
}

/** A SenML pack (a JSON array) is sent as its text: the fleet's objects are records. */
type Encoded = { topic: string; payload: Record<string, unknown> | string }[];
type Encoder = (binding: Binding, message: OutMessage, calendar: LocalCalendar) => Encoded;

/** The source's topic filter with its wildcard levels filled in order (`#` by what is left, else `data`). */
function topicFor(binding: Binding, values: string[]): string {
  const filter = sourceTopic(binding.source) ?? '#';
  const rest = [...values];
  return filter
    .split('/')
    .map((level) =>
      level === '+' ? (rest.shift() ?? 'sim') : level === '#' ? rest.splice(0).join('/') || 'data' : level,
    )
    .join('/');
}

const isEui = (id: string) => /^[0-9a-f]{16}$/i.test(id);
const euiOf = (id: string) => (isEui(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 16));

function fieldsOf(message: OutMessage): {
  ts: number;
  seq: number | undefined;
  fields: Record<string, unknown>;
} {
  const { ts, seq, src: _src, ...fields } = message.payload as Record<string, unknown>;
  return { ts: Number(ts), seq: typeof seq === 'number' ? seq : undefined, fields };
}

const ENCODERS: Record<Exclude<SourceFormatName, 'json'>, Encoder> = {
  'ttn-v3': (binding, message) => {
    const { ts, seq, fields } = fieldsOf(message);
    const deviceId = /^[a-z0-9](?:-?[a-z0-9]){1,35}$/.test(binding.externalId)
      ? binding.externalId
      : `sim-${message.device}`;
    const receivedAt = new Date(ts).toISOString();
    const application = 'kutaisi-pilots';
    return [
      {
        topic: topicFor(binding, [`${application}@ttn`, deviceId]),
        payload: {
          end_device_ids: {
            device_id: deviceId,
            application_ids: { application_id: application },
            dev_eui: euiOf(binding.externalId).toUpperCase(),
          },
          received_at: receivedAt,
          uplink_message: {
            f_port: 1,
            ...(seq !== undefined ? { f_cnt: seq } : {}),
            decoded_payload: decodedObject(message.domain, fields),
            received_at: receivedAt,
          },
          simulated: true,
        },
      },
    ];
  },
  'chirpstack-v4': (binding, message) => {
    const { ts, seq, fields } = fieldsOf(message);
    const devEui = euiOf(binding.externalId).toLowerCase();
    const applicationId = '6b1c2f0e-kutaisi-pilots-simulated';
    return [
      {
        topic: topicFor(binding, [applicationId, devEui]),
        payload: {
          time: new Date(ts).toISOString(),
          deviceInfo: {
            applicationId,
            applicationName: 'eco-smart-pilots',
            deviceName: isEui(binding.externalId) ? message.device : binding.externalId,
            devEui,
          },
          ...(seq !== undefined ? { fCnt: seq } : {}),
          fPort: 1,
          object: decodedObject(message.domain, fields),
        },
      },
    ];
  },
  senml: (binding, message) => {
    const { ts, fields } = fieldsOf(message);
    const [first, ...rest] = senmlRecords(message.domain, fields);
    return [
      {
        topic: topicFor(binding, ['sim-gateway']),
        payload: JSON.stringify([{ bn: binding.externalId, bt: ts / 1000, ...first }, ...rest]),
      },
    ];
  },
  tasmota: (binding, message, calendar) => {
    const { ts, fields } = fieldsOf(message);
    // The device's clock: local time to the second, without an offset.
    const local = new Date(ts + calendar.offsetMs(ts)).toISOString().slice(0, 19);
    const power = typeof fields.power_kw === 'number' ? Math.round(fields.power_kw * 1000) : undefined;
    return [
      {
        topic: topicFor(binding, [binding.externalId]),
        payload: {
          Time: local,
          ENERGY: { Total: fields.energy_kwh, ...(power !== undefined ? { Power: power } : {}) },
        },
      },
    ];
  },
  'shelly-gen2': (binding, message) => {
    const { ts, fields } = fieldsOf(message);
    const prefix = binding.externalId.replace(/\/[a-z0-9_]+:\d+$/, '');
    const w = (kw: unknown) => (typeof kw === 'number' ? kw * 1000 : undefined);
    // A Pro 3EM reports em/emdata; a Plus 1PM or plug its switch.
    const components: Record<string, Record<string, unknown>> = /3em/i.test(prefix)
      ? {
          'em:0': { id: 0, total_act_power: w(fields.power_kw) },
          'emdata:0': { id: 0, total_act: w(fields.energy_kwh), total_act_ret: 0 },
        }
      : {
          'switch:0': {
            id: 0,
            output: true,
            apower: w(fields.power_kw),
            aenergy: { total: w(fields.energy_kwh) },
          },
        };
    // Generic status updates carry no time (the server stamps them on receipt); notifications do.
    if ((sourceTopic(binding.source) ?? '').includes('/status/'))
      return Object.entries(components).map(([component, status]) => ({
        topic: `${prefix}/status/${component}`,
        payload: status,
      }));
    return [
      {
        topic: topicFor(binding, [prefix]),
        payload: {
          src: prefix,
          dst: `${prefix}/events`,
          method: 'NotifyStatus',
          params: { ts: ts / 1000, ...components },
        },
      },
    ];
  },
};
