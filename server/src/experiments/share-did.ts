/**
 * Difference-in-differences for a share of a composition (the active modal
 * split: pedestrians, cyclists and e-scooters among all counted travellers).
 *
 * An additive DiD of the share assumes season moves every site's share by the
 * same number of points; it does not. Season and weather multiply each class
 * (riders stay home in the cold, cars do not), so a site with few cars sees its
 * share move much less than a corridor full of them. The estimator instead
 * takes each class's counterfactual count at the intervention sites from the
 * class's own ratio of ratios (the saturated log-link DiD, as for the daily
 * counts): CF_c = T_post,c · … = T_pre,c · C_post,c / C_pre,c, and compares the
 * observed share with the share of those counterfactual counts. It is
 * unbiased whenever season multiplies each class alike at every site.
 */
import {
  inTimePlacebo,
  type IntervalEstimate,
  type Period,
  type PlaceboResult,
  type SiteDay,
} from './did.js';
import {
  blockBootstrap,
  smallSampleInterval,
  type BootstrapOptions,
  type Replicate,
} from './stats/block-bootstrap.js';

/** Per date: class totals of the intervention and the control arm. */
interface CompositionDay {
  t: Map<string, number>;
  c: Map<string, number>;
}

function days(rows: readonly SiteDay[]): Record<Period, CompositionDay[]> {
  const byPeriod: Record<Period, Map<string, CompositionDay>> = { pre: new Map(), post: new Map() };
  for (const row of rows) {
    if (!row.parts) continue;
    let day = byPeriod[row.period].get(row.date);
    if (!day) byPeriod[row.period].set(row.date, (day = { t: new Map(), c: new Map() }));
    const side = row.arm === 'intervention' ? day.t : day.c;
    for (const [k, v] of Object.entries(row.parts)) side.set(k, (side.get(k) ?? 0) + v);
  }
  const sorted = (m: Map<string, CompositionDay>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
  return { pre: sorted(byPeriod.pre), post: sorted(byPeriod.post) };
}

function sums(list: readonly CompositionDay[], pick: readonly number[] | undefined) {
  const t = new Map<string, number>();
  const c = new Map<string, number>();
  for (const i of pick ?? list.keys()) {
    const d = list[i] as CompositionDay;
    for (const [k, v] of d.t) t.set(k, (t.get(k) ?? 0) + v);
    for (const [k, v] of d.c) c.set(k, (c.get(k) ?? 0) + v);
  }
  return { t, c };
}

/** Observed share minus counterfactual share at the intervention sites in the reporting period. */
function shareEffect(
  pre: ReturnType<typeof sums>,
  post: ReturnType<typeof sums>,
  active: ReadonlySet<string>,
): number {
  let obsActive = 0;
  let obsAll = 0;
  let cfActive = 0;
  let cfAll = 0;
  for (const [k, tPost] of post.t) {
    const tPre = pre.t.get(k) ?? 0;
    const cPre = pre.c.get(k) ?? 0;
    const cPost = post.c.get(k) ?? 0;
    if (!(cPre > 0)) return Number.NaN;
    const cf = (tPre * cPost) / cPre;
    obsAll += tPost;
    cfAll += cf;
    if (active.has(k)) {
      obsActive += tPost;
      cfActive += cf;
    }
  }
  return obsActive / obsAll - cfActive / cfAll;
}

export function shareDifferenceInDifferences(
  rows: readonly SiteDay[],
  active: readonly string[],
  boot: BootstrapOptions,
): IntervalEstimate {
  const set = new Set(active);
  const d = days(rows);
  const estimate = shareEffect(sums(d.pre, undefined), sums(d.post, undefined), set);
  const replicates = blockBootstrap(
    [d.pre.length, d.post.length],
    (r: Replicate) => shareEffect(sums(d.pre, r[0]), sums(d.post, r[1]), set),
    boot,
  );
  const shorter = Math.min(d.pre.length, d.post.length);
  const [ci_low, ci_high] = smallSampleInterval(replicates, estimate, shorter, boot.blockDays);
  return { estimate, ci_low, ci_high, n: rows.length };
}

/** The same estimator's in-time placebo (see did.ts inTimePlacebo). */
export function sharePlacebo(
  rows: readonly SiteDay[],
  active: readonly string[],
  boot: BootstrapOptions,
): PlaceboResult | null {
  return inTimePlacebo(rows, (relabelled) => shareDifferenceInDifferences(relabelled, active, boot));
}
