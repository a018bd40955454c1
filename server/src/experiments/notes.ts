/**
 * Diagnostics in plain words: each effect's diagnostics reduced to a few
 * coded notes with parameters, which the dashboard and the printable report
 * translate (the codes are the i18n keys `exp.note.<code>`).
 */
import type { Effect } from './effects.js';

export type NoteCode =
  | 'interval_excludes_zero'
  | 'interval_includes_zero'
  | 'placebo_passed'
  | 'placebo_failed'
  | 'placebo_not_run'
  | 'gl14_all_pass'
  | 'gl14_some_fail'
  | 'extrapolated'
  | 'no_control';

export interface Note {
  code: NoteCode;
  params?: Record<string, number>;
}

interface ChangePointLike {
  identified?: boolean;
}

export function effectNotes(e: Pick<Effect, 'ci_low' | 'ci_high' | 'method' | 'diagnostics'>): Note[] {
  const notes: Note[] = [];
  if (Number.isFinite(e.ci_low) && Number.isFinite(e.ci_high))
    notes.push({ code: e.ci_low > 0 || e.ci_high < 0 ? 'interval_excludes_zero' : 'interval_includes_zero' });
  const d = e.diagnostics;
  if (e.method === 'difference_in_differences') {
    const placebo = d.parallel_trends_placebo as { passes?: boolean } | null | undefined;
    if (!placebo) notes.push({ code: 'placebo_not_run' });
    else notes.push({ code: placebo.passes ? 'placebo_passed' : 'placebo_failed' });
  }
  if (e.method === 'before_after') notes.push({ code: 'no_control' });
  if (e.method === 'ipmvp_option_c') {
    const buildings = (d.buildings ?? []) as {
      passes?: boolean;
      occupied_model?: ChangePointLike | null;
      unoccupied_model?: ChangePointLike | null;
    }[];
    const failing = buildings.filter((b) => b.passes !== true).length;
    notes.push(
      failing === 0
        ? { code: 'gl14_all_pass', params: { n: buildings.length } }
        : { code: 'gl14_some_fail', params: { failing, n: buildings.length } },
    );
    if (
      buildings.some(
        (b) => b.occupied_model?.identified === false || b.unoccupied_model?.identified === false,
      )
    )
      notes.push({ code: 'extrapolated' });
  }
  return notes;
}
