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
  | 'no_control'
  | 'temperature_measured'
  | 'temperature_from_normals'
  | 'extrapolated_share'
  | 'methods_agree'
  | 'methods_disagree'
  | 'control_check_passed'
  | 'control_check_failed'
  | 'replay_check'
  | 'replay_agrees'
  | 'replay_disagrees'
  | 'round_irregular'
  | PrimaryNote;

/** Why this method is the primary one (energy-effects.ts chooses). */
export type PrimaryNote =
  | 'primary_measured_weather_models_pass'
  | 'primary_temperature_from_normals'
  | 'primary_models_fail_gl14'
  | 'primary_extrapolated'
  | 'primary_normalisation_biased'
  | 'primary_no_comparison_group'
  | 'primary_option_c_unavailable'
  | 'primary_round_replayed';

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
  if (e.method === 'round_replay') notes.push(...replayNotes(d));
  if (e.method === 'ipmvp_option_c' || e.method === 'comparison_group') notes.push(...weatherNotes(d));
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

/** The replayed round: how well it reproduces the baseline, whether the controls agree, why primary. */
function replayNotes(d: Record<string, unknown>): Note[] {
  const notes: Note[] = [];
  if (typeof d.baseline_check === 'number' && Number.isFinite(d.baseline_check))
    notes.push({
      code: 'replay_check',
      params: { points: Math.round(Math.abs(d.baseline_check) * 1000) / 10 },
    });
  if (d.methods_disagree === true) notes.push({ code: 'replay_disagrees' });
  else if (d.methods_disagree === false) notes.push({ code: 'replay_agrees' });
  if (d.primary === true) notes.push({ code: 'primary_round_replayed' });
  else notes.push({ code: 'round_irregular' });
  return notes;
}

/** The weather-normalised energy methods: temperature source, extrapolation, agreement, and why primary. */
function weatherNotes(d: Record<string, unknown>): Note[] {
  const notes: Note[] = [];
  notes.push({
    code: d.temperature_kind === 'normals' ? 'temperature_from_normals' : 'temperature_measured',
  });
  const share = d.extrapolated_share;
  if (typeof share === 'number' && share > 0)
    notes.push({ code: 'extrapolated_share', params: { pct: Math.round(share * 100) } });
  const check = d.control_apparent_savings as { estimate: number; ci_low: number; ci_high: number } | null;
  if (check)
    notes.push({
      code: check.ci_low > 0 || check.ci_high < 0 ? 'control_check_failed' : 'control_check_passed',
      params: { pct: Math.round(check.estimate * 1000) / 10 },
    });
  if (d.methods_disagree === true) notes.push({ code: 'methods_disagree' });
  else if (d.methods_disagree === false) notes.push({ code: 'methods_agree' });
  if (d.primary === true && typeof d.primary_reason === 'string')
    notes.push({ code: `primary_${d.primary_reason}` as PrimaryNote });
  return notes;
}
