/**
 * ChirpStack v4 MQTT integration (JSON encoding): the `up` event on
 * `application/{application id}/device/{DevEUI}/event/up`. The device is `deviceInfo.devEui` (or
 * `deviceInfo.deviceName`); the time is the event's `time` (else the first gateway's or the
 * network server's reception time); `fCnt` is the sequence counter; the map reads `object`, the
 * output of the device profile's codec.
 */
import { finite, isObject, mismatch, type SourceFormat } from './format.js';

export const chirpstackV4: SourceFormat = {
  defaultTopic: 'application/+/device/+/event/up',
  acceptsArray: false,
  builtInDomain: undefined,
  decode(message) {
    if (!isObject(message) || !isObject(message.deviceInfo))
      return mismatch('expected a ChirpStack v4 up event with deviceInfo (JSON encoding)');
    const info = message.deviceInfo;
    const externalIds = [info.devEui, info.deviceName].filter((id): id is string => typeof id === 'string');
    if (externalIds.length === 0) return mismatch('deviceInfo: expected devEui or deviceName');
    const rx = Array.isArray(message.rxInfo) && isObject(message.rxInfo[0]) ? message.rxInfo[0] : {};
    const ts = message.time ?? rx.gwTime ?? rx.nsTime;
    if (typeof ts !== 'string') return mismatch('expected time (or rxInfo[0].gwTime / nsTime)');
    if (!isObject(message.object))
      return mismatch('object is missing: give the device profile a codec that decodes the payload');
    const base: Record<string, unknown> = { ts };
    const fCnt = finite(message.fCnt);
    if (fCnt !== undefined) base.seq = fCnt;
    return { ok: true, readings: [{ externalIds, object: message.object, base }] };
  },
};
