/**
 * How the evidence is served quickly: the effects cache (fed with what the store writer stores,
 * and in a cluster with what the peers ingested) and the daily rollups of the KPIs' inputs
 * (refreshed every minute when the store keeps them). After the store and the cluster; before the
 * store writer, whose stored readings it observes, and the HTTP part, whose routes read both.
 */
import { calendarFor } from '../calendar/city-calendar.js';
import type { Registry } from '../config/registry.js';
import { EffectsCache } from '../experiments/effects-cache.js';
import { KpiRollup, ROLLUP_REFRESH_MS } from '../experiments/rollup/kpi-rollup.js';
import { withDefaults } from '../experiments/settings.js';
import type { ClusterPart } from './cluster-part.js';
import { startedValue, type Log, type Part } from './part.js';
import type { StorePart } from './store-part.js';
import type { StoreWriterPart } from './store-writer-part.js';

export class EvidencePart implements Part {
  readonly name = 'evidence cache and rollups';
  private cache: EffectsCache | undefined;
  private kpiRollup: KpiRollup | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly store: StorePart,
    private readonly cluster: ClusterPart,
    private readonly writer: StoreWriterPart,
    private readonly log: Log,
  ) {}

  get effectsCache(): EffectsCache {
    return startedValue(this.cache, this.name);
  }

  /** Undefined when the store keeps no rollups. */
  get rollup(): KpiRollup | undefined {
    return this.kpiRollup;
  }

  start(): void {
    const cache = new EffectsCache(this.registry);
    this.cache = cache;
    this.writer.storedObservers.push((readings) => cache.onStored(readings));
    const cluster = this.cluster.cluster;
    // A peer stores what it ingested: its readings change this instance's cached effects too.
    if (cluster)
      this.unsubscribe = this.cluster.liveBus.on('reading', (reading) => {
        if (cluster.isRemote(reading)) cache.onPeerReading(reading);
      });
    const calendar = calendarFor(this.registry.portfolio.timezone);
    this.kpiRollup = KpiRollup.of(this.store.store, this.registry, calendar, withDefaults());
    this.kpiRollup?.start(ROLLUP_REFRESH_MS, (m) => this.log.warn(m));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.cache?.stop();
    await this.kpiRollup?.stop();
  }
}
