/** English texts of the Experiments and Portfolio views: effects, methods, diagnostics and notes. */
export const enExperiments = {
  'exp.title': 'Experiments and evidence',
  'exp.intro':
    "Each experiment: its learning question, its arms, and every KPI's effect with its 95 % interval from the primary method.",
  'exp.loading': 'Estimating effects…',
  'exp.load_failed': 'Could not load the experiments: {error}',
  'exp.question': 'Learning question',
  'exp.intervention': 'Intervention',
  'exp.intervention_sites': 'Intervention sites',
  'exp.control_sites': 'Control sites',
  'exp.no_control': 'none',
  'exp.baseline': 'Baseline',
  'exp.reporting': 'Reporting period',
  'exp.not_started': 'not started yet',
  'exp.start': 'Start',
  'exp.forest_label': "Forest plot of {name}: each KPI's estimate and 95 % interval; the dashed line is zero",
  'exp.zero': 'zero: no effect',
  'exp.effects_title': 'Effects',
  'exp.col.kpi': 'KPI',
  'exp.col.estimate': 'Estimate',
  'exp.col.interval': '95 % interval',
  'exp.col.method': 'Method',
  'exp.col.n': 'Site-days',
  'exp.series_title': '{kpi}: intervention and control, daily',
  'exp.diagnostics': 'Diagnostics in plain words',
  'exp.no_effects': 'No effect could be estimated yet.',
  'exp.not_estimated': '{kpi}: not estimated ({reason})',
  'exp.export': 'Download the evidence (zip: definition, results, daily values)',
  'exp.report': 'Printable monitoring report',
  'exp.method.difference_in_differences': 'difference-in-differences',
  'exp.method.ipmvp_option_c': 'IPMVP Option C',
  'exp.method.before_after': 'before/after',
  'exp.method.round_replay': 'old round replayed',
  'exp.note.replay_check':
    'Replayed on the baseline, the old round reproduces what was measured to within {points} points.',
  'exp.note.replay_agrees': 'The comparison with control bins agrees.',
  'exp.note.replay_disagrees':
    'The comparison with control bins disagrees beyond the intervals: the controls did not move as these bins would have.',
  'exp.note.round_irregular':
    'The old round was not regular enough to replay (fewer than 80 % of the baseline collections on fixed slots): the comparison with control bins is primary.',
  'exp.note.primary_round_replayed':
    "Primary: each bin's old round, learned from its baseline collections, replayed on the waste it actually received; no control bins needed.",
  'exp.method.comparison_group': 'comparison group (weather-normalised)',
  'exp.note.temperature_measured':
    "Weather-normalised with the measured daily temperatures of the city's weather station.",
  'exp.note.temperature_from_normals':
    'Not weather-normalised: no measured temperature. Monthly normals stand in, so Option C is not the primary method.',
  'exp.note.extrapolated_share':
    '{pct} % of the reporting days were colder or warmer than any baseline day of their kind: there the model extrapolates.',
  'exp.note.methods_agree': 'Option C and the comparison group agree.',
  'exp.note.methods_disagree':
    'Option C and the comparison group disagree beyond their intervals: read the savings with care.',
  'exp.note.control_check_passed':
    'The control buildings show no savings they did not make ({pct} %): the weather normalisation holds.',
  'exp.note.control_check_failed':
    'The control buildings show {pct} % “savings” they did not make: the normalisation misses something, which the comparison group corrects.',
  'exp.note.primary_measured_weather_models_pass':
    'Primary because the temperature is measured, the baseline models meet Guideline 14, and the control buildings confirm the normalisation.',
  'exp.note.primary_temperature_from_normals':
    'Primary because there is no measured temperature: the control buildings stand in for the weather.',
  'exp.note.primary_models_fail_gl14':
    'Primary because some baseline models fail Guideline 14: the control buildings correct what the models miss.',
  'exp.note.primary_extrapolated':
    "Primary because most reporting days lie outside the baseline's temperatures.",
  'exp.note.primary_normalisation_biased':
    'Primary because the control buildings show savings they did not make: the normalisation is off.',
  'exp.note.primary_no_comparison_group': 'Primary: no control building has a usable baseline model.',
  'exp.note.primary_option_c_unavailable': 'Primary: Option C could not be fitted.',
  'exp.temperature': 'Outdoor temperature',
  'exp.temperature.station': 'measured by the weather station {name}',
  'exp.temperature.normals':
    'Outdoor temperature: monthly normals, no measured temperature (not weather-normalised)',
  'exp.temperature.imported': '{days} days from an imported meteorological record',
  'exp.note.interval_excludes_zero': 'The 95 % interval excludes zero: the data show an effect.',
  'exp.note.interval_includes_zero': 'The 95 % interval includes zero: no effect can be claimed.',
  'exp.note.placebo_passed':
    'Before the start, intervention and control sites moved together (placebo test passed).',
  'exp.note.placebo_failed':
    'Before the start, the arms were already drifting apart (placebo test failed): read the effect with care.',
  'exp.note.placebo_not_run': 'The baseline is too short for a placebo test of parallel trends.',
  'exp.note.gl14_all_pass': 'The baseline models of all {n} buildings meet ASHRAE Guideline 14.',
  'exp.note.gl14_some_fail':
    '{failing} of {n} baseline models fail ASHRAE Guideline 14: the savings are less certain.',
  'exp.note.extrapolated':
    'The baseline has no mild days for some buildings: mild reporting days are extrapolated, and the interval includes that uncertainty.',
  'exp.note.no_control': 'No control sites: season and trends are not separated from the effect.',
  'exp.kpi.wasted_trip_share': 'Wasted trips (share of collections under half full)',
  'exp.kpi.overflow_bin_days': 'Overflowing bin-days',
  'exp.kpi.collections_per_bin_week': 'Collections per bin and week',
  'exp.kpi.fill_at_collection': 'Fill at collection',
  'exp.kpi.daily_bicycle': 'Cyclists per day',
  'exp.kpi.daily_escooter': 'E-scooter riders per day',
  'exp.kpi.daily_pedestrian': 'Pedestrians per day',
  'exp.kpi.daily_car': 'Cars per day',
  'exp.kpi.daily_bus': 'Buses per day',
  'exp.kpi.modal_split_active': 'Active modal share',
  'exp.kpi.daily_kwh': 'Daily energy use',
  'exp.kpi.night_base_load_kw': 'Night base load',
  'exp.kpi.avoided_kwh': 'Avoided energy',
  'exp.kpi.savings_fraction': 'Savings',
  'exp.answers_title': 'The answers so far',
  'exp.answer': '{name}: {estimate} {what} (95 % interval {low} … {high})',
  'exp.answer_loading': '{name}: estimating…',
  'exp.answer_none': '{name}: no estimate yet',
  'exp.answer_failed': '{name}: could not be loaded',
  'exp.what.wasted_trip_share': 'wasted trips (share of collections)',
  'exp.what.overflow_bin_days': 'overflowing bin-days (share)',
  'exp.what.collections_per_bin_week': 'collections per bin and week',
  'exp.what.fill_at_collection': 'fill at collection',
  'exp.what.daily_bicycle': 'cyclists',
  'exp.what.daily_escooter': 'e-scooter riders',
  'exp.what.daily_pedestrian': 'pedestrians',
  'exp.what.daily_car': 'cars',
  'exp.what.daily_bus': 'buses',
  'exp.what.modal_split_active': 'active modal share',
  'exp.what.daily_kwh': 'daily energy use',
  'exp.what.night_base_load_kw': 'night base load',
  'exp.what.avoided_kwh': 'avoided',
  'exp.what.savings_fraction': 'savings',
  'exp.unit.relative_change': 'Relative change (%)',
  'exp.unit.fraction': 'Change in a share (percentage points)',
  'exp.unit.fraction_of_bin_days': 'Change in the share of bin-days (percentage points)',
  'exp.unit.collections_bin_week': 'Change in collections per bin and week',
  'exp.unit.kWh': 'Energy (kWh)',
  'exp.level.collections': 'collections per bin and week',
  'exp.level.per_counter_day': 'per counter and day',
  'exp.level.kwh_building_day': 'kWh per building and day',
  'exp.level.value': 'value',
} as const;

export type ExperimentMessageKey = keyof typeof enExperiments;
