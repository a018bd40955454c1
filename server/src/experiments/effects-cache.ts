/**
 * Effect reports kept per (experiment, analysis window) until the data under them changes. An
 * analysis reads every reading of the experiment's devices over its window (a year of a city's
 * fleet is millions of readings), yet a new reading changes nothing older than today: the
 * default window ends at the start of today. So an entry lives until a stored reading of one of
 * the experiment's devices falls inside its window (a late or re-delivered reading does); each
 * such reading moves the experiment's data version on, and the entries it touches are dropped.
 *
 * A computation that is running when such a reading is stored is not kept (its result may lack
 * the reading), and callers asking for the same window meanwhile share it. The cache is bounded
 * (least recently used out first) because the window comes from the query string.
 */
import type { Registry } from '../config/registry.js';
import type { Reading } from '../contract/index.js';
import { pilotModule } from '../domains/registry.js';
import type { EffectsReport } from './effects.js';
import {
  experimentDevices,
  listExperiments,
  type AnalysisWindow,
  type ExperimentRef,
} from './experiment-data.js';

interface Entry {
  experiment: string;
  from: number;
  to: number;
  report?: EffectsReport;
  pending?: Promise<EffectsReport>;
  stale: boolean;
}

export interface EffectsCacheStats {
  hits: number;
  misses: number;
  invalidations: number;
  entries: number;
}

export interface EffectsCacheOptions {
  maxEntries?: number;
  /**
   * Devices an experiment's analysis reads beyond its own (e.g. a weather station feeding the
   * weather normalisation): their readings invalidate it too.
   */
  extraDevices?: (ref: ExperimentRef) => readonly string[];
}

export class EffectsCache {
  private readonly entries = new Map<string, Entry>();
  /** Device id → the experiments whose analysis reads it. */
  private readonly readers = new Map<string, string[]>();
  private readonly versions = new Map<string, number>();
  private readonly maxEntries: number;
  private counters = { hits: 0, misses: 0, invalidations: 0 };
  /** Peers' readings waiting for their second invalidation (see onPeerReading). */
  private peerReadings: Reading[] = [];
  private peerTimer: NodeJS.Timeout | undefined;

  constructor(registry: Registry, options: EffectsCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 32;
    for (const ref of listExperiments(registry)) {
      const devices = [
        ...experimentDevices(registry, ref).map((d) => d.id),
        ...(pilotModule(ref.pilot.domain).experiments.inputsFrom?.(registry, ref) ?? []),
        ...(options.extraDevices?.(ref) ?? []),
      ];
      for (const device of new Set(devices)) {
        const list = this.readers.get(device) ?? [];
        list.push(ref.experiment.id);
        this.readers.set(device, list);
      }
    }
  }

  /** The experiment's data version: moves on with each stored reading that changes one of its windows in use. */
  version(experiment: string): number {
    return this.versions.get(experiment) ?? 0;
  }

  /** The report for this window, from the cache or computed once (concurrent callers share the computation). */
  async get(
    ref: ExperimentRef,
    window: AnalysisWindow,
    compute: () => Promise<EffectsReport>,
  ): Promise<EffectsReport> {
    const key = windowKey(ref, window);
    const found = this.entries.get(key);
    if (found?.report) {
      this.counters.hits += 1;
      // Most recently used last: Map order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.report;
    }
    if (found?.pending && !found.stale) {
      this.counters.hits += 1;
      return found.pending;
    }
    this.counters.misses += 1;
    const experiment = ref.experiment.id;
    const entry: Entry = { experiment, from: window.from, to: window.to, stale: false };
    entry.pending = compute();
    this.entries.set(key, entry);
    this.evict();
    try {
      const report = await entry.pending;
      if (!entry.stale && this.entries.get(key) === entry) {
        entry.report = report;
        entry.pending = undefined;
      } else if (this.entries.get(key) === entry) this.entries.delete(key);
      return report;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  /** Readings just stored: every entry whose experiment reads the device and whose window holds the time is dropped. */
  onStored(readings: readonly Reading[]): void {
    if (this.entries.size === 0) return;
    for (const reading of readings) {
      const experiments = this.readers.get(reading.device);
      if (!experiments) continue;
      for (const experiment of experiments) this.invalidate(experiment, reading.ts);
    }
  }

  /**
   * In a cluster a peer stores the readings it ingested, and this instance learns of them over
   * the exchange, possibly before the peer's write has landed: the entries are dropped now and
   * again `settleMs` later, so a computation that ran in between is not kept.
   */
  onPeerReading(reading: Reading, settleMs = 10_000): void {
    if (!this.readers.has(reading.device)) return;
    this.onStored([reading]);
    this.peerReadings.push(reading);
    this.peerTimer ??= setTimeout(() => {
      const readings = this.peerReadings;
      this.peerReadings = [];
      this.peerTimer = undefined;
      this.onStored(readings);
    }, settleMs);
    this.peerTimer.unref();
  }

  /** Forgets everything (a cold start without restarting the process). */
  clear(): void {
    for (const entry of this.entries.values()) entry.stale = true;
    this.entries.clear();
  }

  stop(): void {
    if (this.peerTimer) clearTimeout(this.peerTimer);
    this.peerTimer = undefined;
    this.peerReadings = [];
  }

  stats(): EffectsCacheStats {
    return { ...this.counters, entries: this.entries.size };
  }

  private invalidate(experiment: string, ts: number): void {
    let touched = false;
    for (const [key, entry] of this.entries) {
      if (entry.experiment !== experiment || ts < entry.from || ts >= entry.to) continue;
      entry.stale = true;
      this.entries.delete(key);
      touched = true;
    }
    if (touched) {
      this.versions.set(experiment, this.version(experiment) + 1);
      this.counters.invalidations += 1;
    }
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) return;
      entry.stale = true;
      this.entries.delete(key);
    }
  }
}

/** The window as the analysis sees it: the read range and the baseline and reporting dates. */
function windowKey(ref: ExperimentRef, window: AnalysisWindow): string {
  const { pre, post } = window;
  return [ref.experiment.id, window.from, window.to, pre[0], pre.length, post[0], post.length].join('|');
}
