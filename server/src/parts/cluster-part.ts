/**
 * Scale-out (INGEST_SHARE_GROUP): the exchange with the peers, which feeds the live state the
 * merged stream of every instance, lets the leader alone deliver alerts, and shares users and
 * sign-outs so that any instance accepts a session another issued (server/src/cluster/).
 * Without a share group this part does nothing.
 */
import type { Bus } from '../bus/bus.js';
import { Cluster } from '../cluster/cluster.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import type { AlertsPart } from './alerts-part.js';
import type { AuthPart } from './auth-part.js';
import type { BrokerPart } from './broker-part.js';
import { serverClientId, serviceMqtt } from './mqtt-identity.js';
import type { Log, Part } from './part.js';

/** How long start-up waits for the peers' users and sign-outs before going on (they still arrive later). */
const AUTH_SYNC_WAIT_MS = 5_000;

export class ClusterPart implements Part {
  readonly name = 'cluster';
  private created: Cluster | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly bus: Bus,
    private readonly broker: BrokerPart,
    private readonly auth: AuthPart,
    private readonly alerts: AlertsPart,
    private readonly log: Log,
  ) {}

  /** Undefined for a single instance. */
  get cluster(): Cluster | undefined {
    return this.created;
  }

  /** What the live state listens to: the merged stream in a cluster, else the ingest bus. */
  get liveBus(): Bus {
    return this.created?.liveBus ?? this.bus;
  }

  async start(): Promise<void> {
    if (!this.settings.cluster) return;
    const log = this.log;
    const cluster = new Cluster(
      this.registry,
      this.bus,
      this.settings.cluster,
      serviceMqtt(this.settings, this.broker.url, serverClientId(this.settings)),
      { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
      (error, type) => log.error({ err: error }, `live observer failed on ${type}`),
    );
    this.created = cluster;
    cluster.attachAlerts(this.alerts.service, this.alerts.delivery);
    cluster.attachAuth(this.auth.service);
    cluster.start();
    // Before HTTP listens: a session signed in on a peer is accepted from the first request.
    if (!(await cluster.authSynced(AUTH_SYNC_WAIT_MS)))
      log.warn(
        "cluster: the peers' users and sign-outs have not arrived yet; sessions from other instances are refused until they do",
      );
  }

  /** After the ingest has stopped: what this instance ingested last still reaches its peers' live state. */
  async stop(): Promise<void> {
    await this.created?.stop();
  }
}
