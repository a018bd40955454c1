/**
 * The Things Stack v3 (TTN, TTI) MQTT integration: an uplink on `v3/{application id}@{tenant}/devices/{device id}/up`.
 * The device is `end_device_ids.device_id` (or its `dev_eui`); the time is when the network received
 * the uplink (`uplink_message.received_at`, else the top-level `received_at`), so a re-delivery
 * carries the same time and is stored once; `f_cnt` is the sequence counter; the map reads the
 * output of the application's payload formatter, `uplink_message.decoded_payload`.
 */
import { finite, isObject, mismatch, type SourceFormat } from './format.js';

export const ttnV3: SourceFormat = {
  defaultTopic: 'v3/+/devices/+/up',
  acceptsArray: false,
  builtInDomain: undefined,
  decode(message) {
    if (!isObject(message) || !isObject(message.end_device_ids) || !isObject(message.uplink_message))
      return mismatch('expected a The Things Stack uplink with end_device_ids and uplink_message');
    const ids = message.end_device_ids;
    const uplink = message.uplink_message;
    const externalIds = [ids.device_id, ids.dev_eui].filter((id): id is string => typeof id === 'string');
    if (externalIds.length === 0) return mismatch('end_device_ids: expected device_id or dev_eui');
    const ts = uplink.received_at ?? message.received_at;
    if (typeof ts !== 'string') return mismatch('expected uplink_message.received_at or received_at');
    if (!isObject(uplink.decoded_payload))
      return mismatch(
        'uplink_message.decoded_payload is missing: give the device or application an uplink payload formatter',
      );
    const base: Record<string, unknown> = { ts };
    const fCnt = finite(uplink.f_cnt);
    if (fCnt !== undefined) base.seq = fCnt;
    // Uplinks simulated from The Things Stack's console (or our simulator) are marked as such.
    if (message.simulated === true) base.src = 'sim';
    return { ok: true, readings: [{ externalIds, object: uplink.decoded_payload, base }] };
  },
};
