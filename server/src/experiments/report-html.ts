/**
 * The printable monitoring report: one page per experiment (learning question,
 * arms, periods, every KPI's estimate and 95 % interval as a table and a forest
 * plot, diagnostics in plain words, data quality), in English or Georgian,
 * with print CSS. Self-contained HTML: no script, no external resources.
 */
import type { Effect, EffectsReport } from './effects.js';
import { effectNotes, type Note } from './notes.js';

export type ReportLang = 'en' | 'ka';

export interface ReportExperiment {
  id: string;
  pilot: string;
  question: { en: string; ka: string };
  intervention: { en: string; ka: string };
  intervention_sites: readonly string[];
  control_sites: readonly string[];
  siteName: (id: string) => string;
  pre: readonly string[];
  post: readonly string[];
  report: EffectsReport;
}

const TEXT = {
  en: {
    title: 'Kutaisi eco-smart pilots: monitoring report',
    generated: 'Generated',
    question: 'Learning question',
    intervention: 'Intervention',
    intervention_sites: 'Intervention sites',
    control_sites: 'Control sites',
    none: 'none',
    baseline: 'Baseline',
    reporting: 'Reporting period',
    not_started: 'not started yet',
    effects: 'Effects (primary method)',
    kpi: 'KPI',
    estimate: 'Estimate',
    interval: '95 % interval',
    method: 'Method',
    n: 'Site-days',
    diagnostics: 'Diagnostics in plain words',
    quality: 'Data quality',
    days_used: '{used} of {days} days used, coverage {coverage}',
    not_estimated: 'Not estimated',
    plot: 'Forest plot: estimate and 95 % interval of each KPI, zero marked',
    before_after: 'before/after',
    difference_in_differences: 'difference-in-differences',
    ipmvp_option_c: 'IPMVP Option C',
    interval_excludes_zero: 'The 95 % interval excludes zero: the data show an effect.',
    interval_includes_zero: 'The 95 % interval includes zero: no effect can be claimed.',
    placebo_passed: 'Before the start, intervention and control sites moved together (placebo test passed).',
    placebo_failed:
      'Before the start, the arms were already drifting apart (placebo test failed): read the effect with care.',
    placebo_not_run: 'The baseline is too short for a placebo test of parallel trends.',
    gl14_all_pass: 'The baseline models of all {n} buildings meet ASHRAE Guideline 14.',
    gl14_some_fail:
      '{failing} of {n} baseline models fail ASHRAE Guideline 14: the savings are less certain.',
    extrapolated:
      'The baseline has no mild days for some buildings: mild reporting days are extrapolated, and the interval includes that uncertainty.',
    no_control: 'No control sites: season and trends are not separated from the effect.',
    round_replay: 'old round replayed',
    replay_check:
      'Replayed on the baseline, the old round reproduces what was measured to within {points} points.',
    replay_agrees: 'The comparison with control bins agrees.',
    replay_disagrees:
      'The comparison with control bins disagrees beyond the intervals: the controls did not move as these bins would have.',
    round_irregular:
      'The old round was not regular enough to replay (fewer than 80 % of the baseline collections on fixed slots): the comparison with control bins is primary.',
    primary_round_replayed:
      "Primary: each bin's old round, learned from its baseline collections, replayed on the waste it actually received; no control bins needed.",
    comparison_group: 'comparison group (weather-normalised)',
    temperature_measured:
      "Weather-normalised with the measured daily temperatures of the city's weather station.",
    temperature_from_normals:
      'Not weather-normalised: no measured temperature. Monthly normals stand in, so Option C is not the primary method.',
    extrapolated_share:
      '{pct} % of the reporting days were colder or warmer than any baseline day of their kind: there the model extrapolates.',
    methods_agree: 'Option C and the comparison group agree.',
    methods_disagree:
      'Option C and the comparison group disagree beyond their intervals: read the savings with care.',
    control_check_passed:
      'The control buildings show no savings they did not make ({pct} %): the weather normalisation holds.',
    control_check_failed:
      'The control buildings show {pct} % “savings” they did not make: the normalisation misses something, which the comparison group corrects.',
    primary_measured_weather_models_pass:
      'Primary because the temperature is measured, the baseline models meet Guideline 14, and the control buildings confirm the normalisation.',
    primary_temperature_from_normals:
      'Primary because there is no measured temperature: the control buildings stand in for the weather.',
    primary_models_fail_gl14:
      'Primary because some baseline models fail Guideline 14: the control buildings correct what the models miss.',
    primary_extrapolated: "Primary because most reporting days lie outside the baseline's temperatures.",
    primary_normalisation_biased:
      'Primary because the control buildings show savings they did not make: the normalisation is off.',
    primary_no_comparison_group: 'Primary: no control building has a usable baseline model.',
    primary_option_c_unavailable: 'Primary: Option C could not be fitted.',
  },
  ka: {
    title: 'ქუთაისის ეკო-ჭკვიანი პილოტები: მონიტორინგის ანგარიში',
    generated: 'შექმნილია',
    question: 'საკვლევი კითხვა',
    intervention: 'ინტერვენცია',
    intervention_sites: 'ინტერვენციის ლოკაციები',
    control_sites: 'საკონტროლო ლოკაციები',
    none: 'არ არის',
    baseline: 'საბაზისო პერიოდი',
    reporting: 'საანგარიშო პერიოდი',
    not_started: 'ჯერ არ დაწყებულა',
    effects: 'ეფექტები (ძირითადი მეთოდი)',
    kpi: 'მაჩვენებელი',
    estimate: 'შეფასება',
    interval: '95 % ინტერვალი',
    method: 'მეთოდი',
    n: 'ლოკაცია-დღეები',
    diagnostics: 'დიაგნოსტიკა მარტივი სიტყვებით',
    quality: 'მონაცემთა ხარისხი',
    days_used: '{days} დღიდან გამოყენებულია {used}, დაფარვა {coverage}',
    not_estimated: 'არ შეფასდა',
    plot: 'ტყის დიაგრამა: თითოეული მაჩვენებლის შეფასება და 95 % ინტერვალი, ნული მონიშნულია',
    before_after: 'მანამდე/შემდეგ',
    difference_in_differences: 'სხვაობათა სხვაობა',
    ipmvp_option_c: 'IPMVP ვარიანტი C',
    interval_excludes_zero: '95 % ინტერვალი ნულს არ შეიცავს: მონაცემები ეფექტს აჩვენებს.',
    interval_includes_zero: '95 % ინტერვალი ნულს შეიცავს: ეფექტის დადასტურება შეუძლებელია.',
    placebo_passed:
      'დაწყებამდე ინტერვენციისა და საკონტროლო ლოკაციები ერთნაირად იცვლებოდა (პლაცებო ტესტი გავლილია).',
    placebo_failed:
      'დაწყებამდეც ჯგუფები უკვე სხვადასხვაგვარად იცვლებოდა (პლაცებო ტესტი ვერ გაიარა): ეფექტი სიფრთხილით შეაფასეთ.',
    placebo_not_run: 'საბაზისო პერიოდი ძალიან მოკლეა პარალელური ტრენდების პლაცებო ტესტისთვის.',
    gl14_all_pass: 'ყველა {n} შენობის საბაზისო მოდელი აკმაყოფილებს ASHRAE Guideline 14-ს.',
    gl14_some_fail:
      '{n}-დან {failing} საბაზისო მოდელი ვერ აკმაყოფილებს ASHRAE Guideline 14-ს: დანაზოგი ნაკლებად სანდოა.',
    extrapolated:
      'ზოგიერთი შენობის საბაზისო პერიოდში თბილი დღეები არ არის: საანგარიშო პერიოდის თბილი დღეები ექსტრაპოლირებულია და ინტერვალი ამ განუსაზღვრელობასაც მოიცავს.',
    no_control: 'საკონტროლო ლოკაციები არ არის: სეზონი და ტრენდი ეფექტისგან გამიჯნული არ არის.',
    round_replay: 'ძველი გრაფიკის გამეორება',
    replay_check: 'საბაზისო პერიოდზე გამეორებული ძველი გრაფიკი გაზომილს {points} პუნქტის სიზუსტით იმეორებს.',
    replay_agrees: 'საკონტროლო ურნებთან შედარება ეთანხმება.',
    replay_disagrees:
      'საკონტროლო ურნებთან შედარება ინტერვალებს მიღმა განსხვავდება: საკონტროლო ურნები ისე არ შეცვლილა, როგორც ეს ურნები შეიცვლებოდა.',
    round_irregular:
      'ძველი გრაფიკი საკმარისად რეგულარული არ იყო გასამეორებლად (საბაზისო გატანების 80 %-ზე ნაკლები ფიქსირებულ დროს): ძირითადია საკონტროლო ურნებთან შედარება.',
    primary_round_replayed:
      'ძირითადია: თითოეული ურნის ძველი გრაფიკი, საბაზისო გატანებიდან ნასწავლი, გამეორებულია იმ ნარჩენებზე, რაც ურნამ რეალურად მიიღო; საკონტროლო ურნები საჭირო არ არის.',
    comparison_group: 'შედარებითი ჯგუფი (ამინდზე ნორმალიზებული)',
    temperature_measured: 'ნორმალიზებულია ქალაქის მეტეოსადგურის გაზომილი დღიური ტემპერატურებით.',
    temperature_from_normals:
      'ამინდზე ნორმალიზებული არ არის: გაზომილი ტემპერატურა არ არსებობს. გამოყენებულია თვიური კლიმატური ნორმები, ამიტომ ვარიანტი C ძირითადი მეთოდი არ არის.',
    extrapolated_share:
      'საანგარიშო დღეების {pct} % უფრო ცივი ან თბილი იყო, ვიდრე იმავე ტიპის ნებისმიერი საბაზისო დღე: ამ დღეებში მოდელი ექსტრაპოლირებს.',
    methods_agree: 'ვარიანტი C და შედარებითი ჯგუფი ერთმანეთს ეთანხმება.',
    methods_disagree:
      'ვარიანტი C და შედარებითი ჯგუფი ინტერვალებს მიღმა განსხვავდება: დანაზოგი სიფრთხილით შეაფასეთ.',
    control_check_passed:
      'საკონტროლო შენობებში მოჩვენებითი დანაზოგი არ ჩანს ({pct} %): ამინდზე ნორმალიზაცია სწორია.',
    control_check_failed:
      'საკონტროლო შენობები აჩვენებს {pct} % „დანაზოგს“, რომელიც მათ არ მიუღწევიათ: ნორმალიზაცია რაღაცას ვერ ითვალისწინებს და შედარებითი ჯგუფი ამას ასწორებს.',
    primary_measured_weather_models_pass:
      'ძირითადია, რადგან ტემპერატურა გაზომილია, საბაზისო მოდელები აკმაყოფილებს Guideline 14-ს და საკონტროლო შენობები ნორმალიზაციას ადასტურებს.',
    primary_temperature_from_normals:
      'ძირითადია, რადგან გაზომილი ტემპერატურა არ არსებობს: ამინდის გავლენას საკონტროლო შენობები ითვალისწინებს.',
    primary_models_fail_gl14:
      'ძირითადია, რადგან ზოგიერთი საბაზისო მოდელი ვერ აკმაყოფილებს Guideline 14-ს: საკონტროლო შენობები ასწორებს იმას, რასაც მოდელები ვერ ხსნის.',
    primary_extrapolated:
      'ძირითადია, რადგან საანგარიშო დღეების უმეტესობა საბაზისო ტემპერატურების დიაპაზონს გარეთაა.',
    primary_normalisation_biased:
      'ძირითადია, რადგან საკონტროლო შენობები აჩვენებს დანაზოგს, რომელიც არ მიუღწევიათ: ნორმალიზაცია მიკერძოებულია.',
    primary_no_comparison_group: 'ძირითადია: არცერთ საკონტროლო შენობას არ აქვს გამოსადეგი საბაზისო მოდელი.',
    primary_option_c_unavailable: 'ძირითადია: ვარიანტი C-ის მოდელის აგება ვერ მოხერხდა.',
  },
} as const;

type Key = keyof (typeof TEXT)['en'];

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

export function formatValue(value: number, unit: string, locale: string): string {
  if (!Number.isFinite(value)) return '–';
  const nf = (digits: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  if (unit === 'relative change' || unit === 'fraction' || unit === 'fraction of bin-days')
    return `${nf(1).format(value * 100)} %`;
  if (unit === 'kWh') return `${nf(0).format(value)} kWh`;
  return nf(3).format(value);
}

/** The primary estimate of each KPI, in the experiment's KPI order. */
export function primaryEffects(report: EffectsReport): Effect[] {
  return report.effects.filter((e) => e.diagnostics.primary === true);
}

/** A forest plot as SVG: one row per KPI, each on its own scale (units differ), zero marked. */
export function forestSvg(effects: readonly Effect[], label: string, locale: string): string {
  const rowH = 34;
  const [left, width, right] = [190, 300, 150];
  const height = effects.length * rowH + 10;
  const rows = effects.map((e, i) => {
    const lo = Math.min(0, e.ci_low, e.estimate);
    const hi = Math.max(0, e.ci_high, e.estimate);
    const span = hi - lo || 1;
    const x = (v: number) => left + ((v - lo) / span) * width;
    const y = 10 + i * rowH + rowH / 2;
    const text = `${formatValue(e.estimate, e.unit, locale)} [${formatValue(e.ci_low, e.unit, locale)}, ${formatValue(e.ci_high, e.unit, locale)}]`;
    return `<g><text x="0" y="${y + 4}" font-size="12">${esc(e.kpi)}</text>
<line x1="${x(0)}" x2="${x(0)}" y1="${y - 12}" y2="${y + 12}" stroke="#777" stroke-dasharray="3 2"/>
<line x1="${x(e.ci_low)}" x2="${x(e.ci_high)}" y1="${y}" y2="${y}" stroke="#0072B2" stroke-width="2"/>
<rect x="${x(e.estimate) - 4}" y="${y - 4}" width="8" height="8" fill="#0072B2"/>
<text x="${left + width + 10}" y="${y + 4}" font-size="11">${esc(text)}</text></g>`;
  });
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${left + width + right} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg>`;
}

function noteText(note: Note, lang: ReportLang): string {
  return fill(TEXT[lang][note.code as Key], note.params);
}

function page(x: ReportExperiment, lang: ReportLang): string {
  const t = (k: Key, p?: Record<string, string | number>) => esc(fill(TEXT[lang][k], p));
  const locale = lang === 'ka' ? 'ka-GE' : 'en';
  const effects = primaryEffects(x.report);
  const sites = (list: readonly string[]) =>
    list.length ? list.map((s) => esc(x.siteName(s))).join(', ') : t('none');
  const range = (d: readonly string[]) => (d.length ? `${d[0]} – ${d[d.length - 1]}` : t('not_started'));
  const rows = effects
    .map(
      (e) =>
        `<tr><th scope="row">${esc(e.kpi)}</th><td class="num">${esc(formatValue(e.estimate, e.unit, locale))}</td><td class="num">${esc(formatValue(e.ci_low, e.unit, locale))} … ${esc(formatValue(e.ci_high, e.unit, locale))}</td><td>${t(e.method as Key)}</td><td class="num">${e.n}</td></tr>`,
    )
    .join('');
  const notes = effects
    .map(
      (e) =>
        `<li><strong>${esc(e.kpi)}</strong>: ${effectNotes(e)
          .map((n) => esc(noteText(n, lang)))
          .join(' ')}</li>`,
    )
    .join('');
  const quality = Object.entries(x.report.data_quality)
    .slice(0, 1)
    .flatMap(([, cells]) =>
      (cells as { site: string; period: string; days: number; days_used: number; coverage: number }[]).map(
        (c) =>
          `<li>${esc(x.siteName(c.site))} (${esc(c.period === 'pre' ? TEXT[lang].baseline : TEXT[lang].reporting)}): ${t('days_used', { used: c.days_used, days: c.days, coverage: `${Math.round(c.coverage * 100)} %` })}</li>`,
      ),
    )
    .join('');
  const missing = x.report.not_estimated.map((m) => `<li>${esc(m.kpi)}: ${esc(m.reason)}</li>`).join('');
  return `<section class="page" data-experiment="${esc(x.id)}">
<h2>${esc(x.question[lang])}</h2>
<dl>
<dt>${t('intervention')}</dt><dd>${esc(x.intervention[lang])}</dd>
<dt>${t('intervention_sites')}</dt><dd>${sites(x.intervention_sites)}</dd>
<dt>${t('control_sites')}</dt><dd>${sites(x.control_sites)}</dd>
<dt>${t('baseline')}</dt><dd>${range(x.pre)}</dd>
<dt>${t('reporting')}</dt><dd>${range(x.post)}</dd>
</dl>
<h3>${t('effects')}</h3>
<table><thead><tr><th scope="col">${t('kpi')}</th><th scope="col">${t('estimate')}</th><th scope="col">${t('interval')}</th><th scope="col">${t('method')}</th><th scope="col">${t('n')}</th></tr></thead><tbody>${rows}</tbody></table>
${effects.length ? forestSvg(effects, TEXT[lang].plot, locale) : ''}
<h3>${t('diagnostics')}</h3><ul>${notes}</ul>
<h3>${t('quality')}</h3><ul>${quality}</ul>
${missing ? `<h3>${t('not_estimated')}</h3><ul>${missing}</ul>` : ''}
</section>`;
}

export function reportHtml(experiments: readonly ReportExperiment[], lang: ReportLang, now: Date): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(TEXT[lang].title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:0}h3{font-size:1rem;margin:1rem 0 .3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.25rem .4rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.page{border-top:2px solid #333;padding-top:1rem;margin-top:2rem}
@page{size:A4;margin:15mm}
@media print{body{margin:0;max-width:none}.page{break-after:page;border-top:none;margin-top:0}.page:last-child{break-after:auto}}
</style></head><body>
<header><h1>${esc(TEXT[lang].title)}</h1><p>${esc(TEXT[lang].generated)}: ${esc(now.toISOString().slice(0, 10))}</p></header>
${experiments.map((x) => page(x, lang)).join('\n')}
</body></html>
`;
}
