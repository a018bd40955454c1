/** One effect estimate as reported, and what every method's estimates share. */
import type { IntervalEstimate } from './did.js';

export interface Effect {
  kpi: string;
  estimate: number;
  ci_low: number;
  ci_high: number;
  unit: string;
  method:
    'before_after' | 'difference_in_differences' | 'round_replay' | 'ipmvp_option_c' | 'comparison_group';
  n: number;
  diagnostics: Record<string, unknown>;
}

export function effect(
  kpi: string,
  unit: string,
  method: Effect['method'],
  e: IntervalEstimate,
  diagnostics: Record<string, unknown>,
): Effect {
  return {
    kpi,
    estimate: e.estimate,
    ci_low: e.ci_low,
    ci_high: e.ci_high,
    unit,
    method,
    n: e.n,
    diagnostics,
  };
}

/** Two methods disagree when their intervals do not overlap. */
export function disagree(a: IntervalEstimate, b: IntervalEstimate): boolean {
  return a.ci_high < b.ci_low || b.ci_high < a.ci_low;
}
