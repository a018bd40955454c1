/** SQL for each aggregate of the port; `last` is the value at the newest timestamp in the bucket. */
import type { Aggregate } from '../port.js';

const SQL: Record<Aggregate, string> = {
  mean: 'avg(value)',
  min: 'min(value)',
  max: 'max(value)',
  sum: 'sum(value)',
  last: 'arg_max(value, ts)',
  count: 'count(value)',
};

export function aggregateSql(agg: Aggregate): string {
  return SQL[agg];
}
