/**
 * Any JSON object. The device is named by the `{device}` level of the source's topic filter
 * (`sensors/{device}/data`); without one, a device's external id is the exact topic it publishes on.
 * The map reads the whole message; without a map the message must already hold contract fields.
 */
import { isObject, mismatch, type SourceFormat } from './format.js';
import { placeholderLevel } from '../topic-filter.js';

export const json: SourceFormat = {
  defaultTopic: undefined,
  acceptsArray: false,
  builtInDomain: undefined,
  decode(message, ctx) {
    if (!isObject(message)) return mismatch('expected a JSON object');
    const level = placeholderLevel(ctx.filter);
    const externalId = level < 0 ? ctx.topic : ctx.topic.split('/')[level];
    if (!externalId) return mismatch('the topic has no {device} level');
    return { ok: true, readings: [{ externalIds: [externalId], object: message, base: {} }] };
  },
};
