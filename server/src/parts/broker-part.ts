/** The MQTT broker: the one at MQTT_URL, or the embedded aedes broker when it is unset. */
import { emptyAuthCounters, type BrokerAuth, type BrokerAuthCounters } from '../broker/broker-auth.js';
import { deviceAuthWarnings } from '../broker/embedded-auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded-broker.js';
import type { Settings } from '../config/settings.js';
import { startedValue, type Log, type Part } from './part.js';
import { firstLine, StartupError } from './startup-error.js';

export class BrokerPart implements Part {
  readonly name = 'broker';
  private embedded: EmbeddedBroker | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly auth: BrokerAuth | undefined,
    private readonly log: Log,
  ) {}

  /** The broker URL in use: MQTT_URL, or the embedded broker's once it listens. */
  get url(): string {
    return this.settings.mqtt.url ?? startedValue(this.embedded, this.name).url;
  }

  /** Device-authentication counters of the embedded broker; undefined with an external broker. */
  get counters(): BrokerAuthCounters | undefined {
    return this.embedded ? (this.auth?.counters ?? emptyAuthCounters(false)) : undefined;
  }

  async start(): Promise<void> {
    const { url, embeddedPort, embeddedHost } = this.settings.mqtt;
    if (url !== undefined) return;
    try {
      this.embedded = await startEmbeddedBroker(embeddedPort, embeddedHost, this.auth);
    } catch (error) {
      const setting =
        (error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL'
          ? 'MQTT_EMBEDDED_HOST'
          : 'MQTT_EMBEDDED_PORT';
      throw new StartupError(
        `${setting}: cannot start the embedded broker on ${embeddedHost} port ${embeddedPort} (${firstLine(error)})`,
      );
    }
    for (const warning of deviceAuthWarnings(this.settings, this.auth, this.embedded.url))
      this.log.warn(warning);
    if (this.auth) this.auth.log = (m) => this.log.warn(m);
  }

  async stop(): Promise<void> {
    await this.embedded?.close();
    this.embedded = undefined;
  }
}
