/**
 * Scale-out settings. `INGEST_SHARE_GROUP` turns one server into a member of a cluster: the
 * ingest subscribes through the broker's shared subscription `$share/<group>/…` (the broker
 * hands each message to one member) and the members exchange what they ingested on
 * `{root}/cluster/…`. Unset, nothing of this runs and the server is the single instance it was.
 */
import { hostname } from 'node:os';
import { ConfigError } from '../config/config-error.js';

export interface ClusterSettings {
  /** Name of the MQTT shared-subscription group every instance of the cluster joins. */
  shareGroup: string;
  /** Unique and stable per instance: it keys the instance's persistent MQTT session. */
  instanceId: string;
  /** How long each reading is held before the live state takes it, so peers' readings can be merged in order. */
  holdMs: number;
}

type Env = Record<string, string | undefined>;

/** Topic levels and client ids: no MQTT wildcards, separators or '$'. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The host name as an instance id: stable across restarts of one machine or container. */
export function defaultInstanceId(host = hostname()): string {
  const id = host
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id === '' ? 'instance' : id;
}

export function clusterSettings(
  env: Env,
  context: { mqttUrl: string | undefined; influxUrl: string | undefined },
): ClusterSettings | undefined {
  const group = env.INGEST_SHARE_GROUP;
  if (group === undefined || group === '') return undefined;
  if (!NAME.test(group))
    throw new ConfigError('INGEST_SHARE_GROUP', `expected 1-64 letters, digits, '_' or '-', got "${group}"`);
  // The embedded aedes broker serves one process and has no shared subscriptions.
  if (context.mqttUrl === undefined)
    throw new ConfigError(
      'INGEST_SHARE_GROUP',
      'needs MQTT_URL: shared subscriptions need an external broker (Mosquitto 2, EMQX, HiveMQ), not the embedded one',
    );
  // The DuckDB file belongs to one process; every instance must write to the one InfluxDB.
  if (context.influxUrl === undefined)
    throw new ConfigError(
      'INGEST_SHARE_GROUP',
      'needs INFLUX_URL: the instances of a cluster share one InfluxDB (the embedded DuckDB file serves one process)',
    );
  const instanceId =
    env.INSTANCE_ID === undefined || env.INSTANCE_ID === '' ? defaultInstanceId() : env.INSTANCE_ID;
  if (!NAME.test(instanceId))
    throw new ConfigError('INSTANCE_ID', `expected 1-64 letters, digits, '_' or '-', got "${instanceId}"`);
  // {root}/cluster/auth/… carries the shared users and sign-outs (cluster-auth.ts).
  if (instanceId === 'auth') throw new ConfigError('INSTANCE_ID', '"auth" is reserved; choose another id');
  const rawHold = env.CLUSTER_HOLD_MS;
  const holdMs = rawHold === undefined || rawHold === '' ? 200 : Number(rawHold);
  if (!Number.isInteger(holdMs) || holdMs < 0 || holdMs > 5_000)
    throw new ConfigError('CLUSTER_HOLD_MS', `expected an integer from 0 to 5000, got "${rawHold}"`);
  return { shareGroup: group, instanceId, holdMs };
}

/** The ingest's MQTT client id in a cluster: each instance keeps a persistent session of its own. */
export function memberClientId(baseClientId: string, instanceId: string): string {
  return `${baseClientId}-${instanceId}`;
}
