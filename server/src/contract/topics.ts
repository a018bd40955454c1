/** MQTT topic contract: `{root}/{domain}/{deviceId}/{kind}`, root `kutaisi/v1` by default. */

export const DEFAULT_TOPIC_ROOT = 'kutaisi/v1';

export const DOMAINS = ['waste', 'mobility', 'energy', 'weather'] as const;
export type Domain = (typeof DOMAINS)[number];

export const MESSAGE_KINDS = ['telemetry', 'status', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface TopicParts {
  domain: Domain;
  deviceId: string;
  kind: MessageKind;
}

export type TopicParse = { ok: true; value: TopicParts } | { ok: false; reason: string };

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(value);
}

export function buildTopic(root: string, domain: Domain, deviceId: string, kind: MessageKind): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error(`invalid device id: ${deviceId}`);
  return `${root}/${domain}/${deviceId}/${kind}`;
}

/** Topic filters the ingest subscribes to: one per domain, so foreign trees under the root are never received. */
export function subscriptionFilters(root: string): string[] {
  return DOMAINS.map((domain) => `${root}/${domain}/+/+`);
}

export function parseTopic(root: string, topic: string): TopicParse {
  const prefix = `${root}/`;
  if (!topic.startsWith(prefix)) return { ok: false, reason: `topic is not under ${root}/` };
  const parts = topic.slice(prefix.length).split('/');
  if (parts.length !== 3) return { ok: false, reason: 'topic must be {root}/{domain}/{deviceId}/{kind}' };
  const [domain = '', deviceId = '', kind = ''] = parts;
  if (!isDomain(domain)) return { ok: false, reason: `unknown domain "${domain}"` };
  if (!DEVICE_ID_PATTERN.test(deviceId))
    return { ok: false, reason: 'device id does not match [a-z0-9][a-z0-9_-]{0,63}' };
  if (!isMessageKind(kind)) return { ok: false, reason: `unknown message kind "${kind}"` };
  return { ok: true, value: { domain, deviceId, kind } };
}
