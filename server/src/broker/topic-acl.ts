/**
 * Who may publish and subscribe to what: one rule set that the embedded aedes broker enforces
 * (broker-auth.ts) and that the Mosquitto ACL file is generated from (mosquitto-auth-files.ts).
 *
 * - A device may publish only `{root}/{its domain}/{its id}/{telemetry|status|event}` (its last
 *   will included) and may read only its own subtree `{root}/{domain}/{id}/#` (its retained
 *   status now; a command channel later), never another device's topics.
 * - The server's service identity reads everything under the root (the ingest, directly or
 *   through a shared subscription `$share/<group>/…`) and writes alerts and the cluster
 *   exchange; it never writes device topics.
 */
import { MESSAGE_KINDS, type Domain } from '../contract/index.js';

export type MqttIdentity = { kind: 'device'; id: string; domain: Domain } | { kind: 'service' };

export interface TopicRules {
  /** Topic patterns (MQTT wildcards allowed) the identity may publish to. */
  write: string[];
  /** Topic patterns the identity may subscribe to and receive from. */
  read: string[];
  /** May subscribe through a shared subscription `$share/<group>/<filter>` (scale-out ingest). */
  shared: boolean;
}

export function topicRules(root: string, identity: MqttIdentity): TopicRules {
  if (identity.kind === 'service') {
    return {
      write: [`${root}/alerts/#`, `${root}/cluster/#`],
      read: [`${root}/#`],
      shared: true,
    };
  }
  const own = `${root}/${identity.domain}/${identity.id}`;
  return { write: MESSAGE_KINDS.map((kind) => `${own}/${kind}`), read: [`${own}/#`], shared: false };
}

export function canPublish(rules: TopicRules, topic: string): boolean {
  if (topic.includes('+') || topic.includes('#') || topic.startsWith('$')) return false;
  return rules.write.some((pattern) => covers(pattern, topic));
}

/**
 * A subscription is allowed when every topic it could match is readable. A shared subscription
 * `$share/<group>/<filter>` is judged by its filter, as Mosquitto does.
 */
export function canSubscribe(rules: TopicRules, filter: string): boolean {
  let plain = filter;
  if (filter.startsWith('$share/')) {
    if (!rules.shared) return false;
    const match = /^\$share\/([^/+#]+)\/(.+)$/.exec(filter);
    if (!match?.[2]) return false;
    plain = match[2];
  }
  if (plain.startsWith('$')) return false;
  return rules.read.some((pattern) => covers(pattern, plain));
}

/** True when every topic that `filter` matches is also matched by `pattern` (both MQTT topic filters). */
export function covers(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  const f = filter.split('/');
  for (let i = 0; i < p.length; i++) {
    const level = p[i];
    // `a/#` also matches the parent `a`, so it covers a filter that ends here.
    if (level === '#') return true;
    const other = f[i];
    if (other === undefined || other === '#') return false;
    if (level === '+') {
      if (other.includes('#')) return false;
      continue;
    }
    if (level !== other) return false;
  }
  return f.length === p.length;
}
