/**
 * Ground-truth recorder: what the simulators planted (KPI accumulators for the
 * actual and the counterfactual world), which faults they injected, and how many
 * readings they published, so tests can hold the server's estimates against it.
 */
import type { Domain } from '../../server/src/contract/index.js';
import type { FaultKind } from './faults.js';

export type Side = 'actual' | 'counterfactual';

interface Ratio {
  num: number;
  den: number;
}

export interface FaultLogEntry {
  /** Model time of the affected reading, epoch ms. */
  at: number;
  device: string;
  domain: Domain;
  kind: FaultKind;
  seq?: number;
  detail?: string;
}

export interface FamilyCounts {
  /** Telemetry published without any deliberate fault. */
  clean: number;
  /** Telemetry published with a deliberate fault (a duplicate counts once per extra copy). */
  faulty: number;
  /** Clean plus faulty messages the server is expected to store (valid, not a duplicate, ts not in the future). */
  expected_stored: number;
  /** Readings swallowed by offline periods. */
  skipped_offline: number;
  /** Messages on the `event` topic (bin collections). */
  events: number;
}

/** One count summed over every device family. */
export function sumFamilies(
  published: Readonly<Record<string, FamilyCounts>>,
  field: keyof FamilyCounts,
): number {
  return Object.values(published).reduce((total, counts) => total + counts[field], 0);
}

const MAX_LOG = 10_000;

export class Truth {
  private readonly acc = new Map<string, Record<Side, Ratio>>();
  readonly faultCounts: Partial<Record<FaultKind, number>> = {};
  readonly faultLog: FaultLogEntry[] = [];
  faultLogTruncated = false;
  readonly published: Record<Domain, FamilyCounts> = {
    waste: emptyCounts(),
    mobility: emptyCounts(),
    energy: emptyCounts(),
    weather: emptyCounts(),
  };
  /** Local days the run touched, for the weather table. */
  readonly days = new Set<number>();

  add(experiment: string, name: string, side: Side, num: number, den: number): void {
    const key = `${experiment}/${name}`;
    let entry = this.acc.get(key);
    if (!entry) {
      entry = { actual: { num: 0, den: 0 }, counterfactual: { num: 0, den: 0 } };
      this.acc.set(key, entry);
    }
    entry[side].num += num;
    entry[side].den += den;
  }

  ratio(experiment: string, name: string, side: Side): Ratio {
    return this.acc.get(`${experiment}/${name}`)?.[side] ?? { num: 0, den: 0 };
  }

  fault(entry: FaultLogEntry): void {
    this.faultCounts[entry.kind] = (this.faultCounts[entry.kind] ?? 0) + 1;
    if (this.faultLog.length < MAX_LOG) this.faultLog.push(entry);
    else this.faultLogTruncated = true;
  }
}

function emptyCounts(): FamilyCounts {
  return { clean: 0, faulty: 0, expected_stored: 0, skipped_offline: 0, events: 0 };
}
