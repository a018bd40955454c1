/**
 * Shelly Gen2+ devices (Plus, Pro, Gen3) over MQTT, topic prefix = the device's MQTT prefix:
 * - `<prefix>/events/rpc` with `NotifyStatus` / `NotifyFullStatus` (RPC status notifications, on by
 *   default): the components' changes, with the device time `params.ts`;
 * - `<prefix>/status/<component>` (generic status updates, off by default): the component's status,
 *   without a time (stamped on receipt; a re-delivered message may so be stored twice, same value).
 * Meter components: `em:N` (three-phase power, W) and `emdata:N` (its registers, Wh), `em1:N` /
 * `em1data:N` (one phase), `switch:N` and `pm1:N` (power W and `aenergy.total` Wh). W and Wh become
 * kW and kWh. The external id is `<prefix>` for component 0 and `<prefix>/<component>` for any
 * component (`<prefix>/switch:1`). Other components (`sys`, `wifi`, inputs …) are acknowledged and ignored.
 */
import {
  defined,
  finite,
  isObject,
  mismatch,
  secondsToMs,
  type Decoded,
  type SourceFormat,
  type SourceReading,
} from './format.js';

const kilo = (value: unknown) => {
  const n = finite(value);
  return n === undefined ? undefined : n / 1000;
};

/** The contract fields of one component's status, or undefined when the component measures no energy. */
export function componentFields(component: string, status: Record<string, unknown>) {
  const type = component.split(':')[0];
  const aenergy = isObject(status.aenergy) ? status.aenergy : {};
  const returned = isObject(status.ret_aenergy) ? status.ret_aenergy : {};
  switch (type) {
    case 'em':
      return defined({ power_kw: kilo(status.total_act_power) });
    case 'emdata':
      return defined({ energy_kwh: kilo(status.total_act), export_kwh: kilo(status.total_act_ret) });
    case 'em1':
      return defined({ power_kw: kilo(status.act_power) });
    case 'em1data':
      return defined({
        energy_kwh: kilo(status.total_act_energy),
        export_kwh: kilo(status.total_act_ret_energy),
      });
    case 'switch':
    case 'pm1':
      return defined({
        power_kw: kilo(status.apower),
        energy_kwh: kilo(aenergy.total),
        export_kwh: kilo(returned.total),
      });
    default:
      return undefined;
  }
}

function reading(
  prefix: string,
  component: string,
  status: Record<string, unknown>,
  ts: number,
): SourceReading | undefined {
  const fields = componentFields(component, status);
  if (!fields) return undefined;
  const externalIds = component.endsWith(':0')
    ? [`${prefix}/${component}`, prefix]
    : [`${prefix}/${component}`];
  return { externalIds, object: status, base: { ts }, fields };
}

export const shellyGen2: SourceFormat = {
  defaultTopic: '+/events/rpc',
  acceptsArray: false,
  builtInDomain: 'energy',
  decode(message, ctx): Decoded {
    if (!isObject(message)) return mismatch('expected a Shelly status or notification object');
    const status = /^(.+)\/status\/([a-z0-9_]+(?::\d+)?)$/.exec(ctx.topic);
    if (status?.[1] && status[2]) {
      const one = reading(status[1], status[2], message, ctx.now);
      return one ? { ok: true, readings: [one] } : { ok: true, ignored: `component ${status[2]}` };
    }
    const rpc = /^(.+)\/events\/rpc$/.exec(ctx.topic);
    if (!rpc?.[1])
      return mismatch('expected a Shelly topic <prefix>/status/<component> or <prefix>/events/rpc');
    if (message.method !== 'NotifyStatus' && message.method !== 'NotifyFullStatus')
      return { ok: true, ignored: `method ${String(message.method)}` };
    const params = isObject(message.params) ? message.params : {};
    const seconds = finite(params.ts);
    const ts = seconds === undefined ? ctx.now : secondsToMs(seconds);
    const readings: SourceReading[] = [];
    for (const [component, value] of Object.entries(params)) {
      if (component === 'ts' || !isObject(value)) continue;
      const one = reading(rpc[1], component, value, ts);
      if (one) readings.push(one);
    }
    return readings.length > 0 ? { ok: true, readings } : { ok: true, ignored: 'no meter component' };
  },
};
