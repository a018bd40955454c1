/**
 * Scale-out (INGEST_SHARE_GROUP): the exchange with the peers, which feeds the live state the
 * merged stream of every instance and lets the leader alone deliver alerts (server/src/cluster/).
 * Without a share group this part does nothing.
 */
import type { Bus } from '../bus/bus.js';
import { Cluster } from '../cluster/cluster.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import type { AlertsPart } from './alerts-part.js';
import type { BrokerPart } from './broker-part.js';
import { serverClientId, serviceMqtt } from './mqtt-identity.js';
import type { Log, Part } from './part.js';

export class ClusterPart implements Part {
  readonly name = 'cluster';
  private created: Cluster | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly bus: Bus,
    private readonly broker: BrokerPart,
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

  start(): void {
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
    cluster.start();
  }

  /** After the ingest has stopped: what this instance ingested last still reaches its peers' live state. */
  async stop(): Promise<void> {
    await this.created?.stop();
  }
}
