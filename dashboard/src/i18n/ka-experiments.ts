/** Georgian texts of the Experiments and Portfolio views (keys as in en-experiments.ts). */
import type { ExperimentMessageKey } from './en-experiments.js';

export const kaExperiments: Record<ExperimentMessageKey, string> = {
  'exp.title': 'ექსპერიმენტები და მტკიცებულებები',
  'exp.intro':
    'თითოეული ექსპერიმენტი: საკვლევი კითხვა, ჯგუფები და ყოველი მაჩვენებლის ეფექტი 95 % ინტერვალით, ძირითადი მეთოდით.',
  'exp.loading': 'ეფექტები ფასდება…',
  'exp.load_failed': 'ექსპერიმენტები ვერ ჩაიტვირთა: {error}',
  'exp.question': 'საკვლევი კითხვა',
  'exp.intervention': 'ინტერვენცია',
  'exp.intervention_sites': 'ინტერვენციის ლოკაციები',
  'exp.control_sites': 'საკონტროლო ლოკაციები',
  'exp.no_control': 'არ არის',
  'exp.baseline': 'საბაზისო პერიოდი',
  'exp.reporting': 'საანგარიშო პერიოდი',
  'exp.not_started': 'ჯერ არ დაწყებულა',
  'exp.start': 'დაწყება',
  'exp.forest_label':
    '{name} — ტყის დიაგრამა: თითოეული მაჩვენებლის შეფასება და 95 % ინტერვალი; წყვეტილი ხაზი ნულია',
  'exp.zero': 'ნული: ეფექტი არ არის',
  'exp.effects_title': 'ეფექტები',
  'exp.col.kpi': 'მაჩვენებელი',
  'exp.col.estimate': 'შეფასება',
  'exp.col.interval': '95 % ინტერვალი',
  'exp.col.method': 'მეთოდი',
  'exp.col.n': 'ლოკაცია-დღეები',
  'exp.series_title': '{kpi}: ინტერვენცია და კონტროლი, დღიურად',
  'exp.diagnostics': 'დიაგნოსტიკა მარტივი სიტყვებით',
  'exp.no_effects': 'ეფექტის შეფასება ჯერ შეუძლებელია.',
  'exp.not_estimated': '{kpi}: არ შეფასდა ({reason})',
  'exp.export': 'მტკიცებულებების ჩამოტვირთვა (zip: განსაზღვრება, შედეგები, დღიური მნიშვნელობები)',
  'exp.report': 'დასაბეჭდი მონიტორინგის ანგარიში',
  'exp.method.difference_in_differences': 'სხვაობათა სხვაობა',
  'exp.method.ipmvp_option_c': 'IPMVP ვარიანტი C',
  'exp.method.before_after': 'მანამდე/შემდეგ',
  'exp.method.round_replay': 'ძველი გრაფიკის გამეორება',
  'exp.note.replay_check':
    'საბაზისო პერიოდზე გამეორებული ძველი გრაფიკი გაზომილს {points} პუნქტის სიზუსტით იმეორებს.',
  'exp.note.replay_agrees': 'საკონტროლო ურნებთან შედარება ეთანხმება.',
  'exp.note.replay_disagrees':
    'საკონტროლო ურნებთან შედარება ინტერვალებს მიღმა განსხვავდება: საკონტროლო ურნები ისე არ შეცვლილა, როგორც ეს ურნები შეიცვლებოდა.',
  'exp.note.round_irregular':
    'ძველი გრაფიკი საკმარისად რეგულარული არ იყო გასამეორებლად (საბაზისო გატანების 80 %-ზე ნაკლები ფიქსირებულ დროს): ძირითადია საკონტროლო ურნებთან შედარება.',
  'exp.note.primary_round_replayed':
    'ძირითადია: თითოეული ურნის ძველი გრაფიკი, საბაზისო გატანებიდან ნასწავლი, გამეორებულია იმ ნარჩენებზე, რაც ურნამ რეალურად მიიღო; საკონტროლო ურნები საჭირო არ არის.',
  'exp.method.comparison_group': 'შედარებითი ჯგუფი (ამინდზე ნორმალიზებული)',
  'exp.note.temperature_measured': 'ნორმალიზებულია ქალაქის მეტეოსადგურის გაზომილი დღიური ტემპერატურებით.',
  'exp.note.temperature_from_normals':
    'ამინდზე ნორმალიზებული არ არის: გაზომილი ტემპერატურა არ არსებობს. გამოყენებულია თვიური კლიმატური ნორმები, ამიტომ ვარიანტი C ძირითადი მეთოდი არ არის.',
  'exp.note.extrapolated_share':
    'საანგარიშო დღეების {pct} % უფრო ცივი ან თბილი იყო, ვიდრე იმავე ტიპის ნებისმიერი საბაზისო დღე: ამ დღეებში მოდელი ექსტრაპოლირებს.',
  'exp.note.methods_agree': 'ვარიანტი C და შედარებითი ჯგუფი ერთმანეთს ეთანხმება.',
  'exp.note.methods_disagree':
    'ვარიანტი C და შედარებითი ჯგუფი ინტერვალებს მიღმა განსხვავდება: დანაზოგი სიფრთხილით შეაფასეთ.',
  'exp.note.control_check_passed':
    'საკონტროლო შენობებში მოჩვენებითი დანაზოგი არ ჩანს ({pct} %): ამინდზე ნორმალიზაცია სწორია.',
  'exp.note.control_check_failed':
    'საკონტროლო შენობები აჩვენებს {pct} % „დანაზოგს“, რომელიც მათ არ მიუღწევიათ: ნორმალიზაცია რაღაცას ვერ ითვალისწინებს და შედარებითი ჯგუფი ამას ასწორებს.',
  'exp.note.primary_measured_weather_models_pass':
    'ძირითადია, რადგან ტემპერატურა გაზომილია, საბაზისო მოდელები აკმაყოფილებს Guideline 14-ს და საკონტროლო შენობები ნორმალიზაციას ადასტურებს.',
  'exp.note.primary_temperature_from_normals':
    'ძირითადია, რადგან გაზომილი ტემპერატურა არ არსებობს: ამინდის გავლენას საკონტროლო შენობები ითვალისწინებს.',
  'exp.note.primary_models_fail_gl14':
    'ძირითადია, რადგან ზოგიერთი საბაზისო მოდელი ვერ აკმაყოფილებს Guideline 14-ს: საკონტროლო შენობები ასწორებს იმას, რასაც მოდელები ვერ ხსნის.',
  'exp.note.primary_extrapolated':
    'ძირითადია, რადგან საანგარიშო დღეების უმეტესობა საბაზისო ტემპერატურების დიაპაზონს გარეთაა.',
  'exp.note.primary_normalisation_biased':
    'ძირითადია, რადგან საკონტროლო შენობები აჩვენებს დანაზოგს, რომელიც არ მიუღწევიათ: ნორმალიზაცია მიკერძოებულია.',
  'exp.note.primary_no_comparison_group':
    'ძირითადია: არცერთ საკონტროლო შენობას არ აქვს გამოსადეგი საბაზისო მოდელი.',
  'exp.note.primary_option_c_unavailable': 'ძირითადია: ვარიანტი C-ის მოდელის აგება ვერ მოხერხდა.',
  'exp.temperature': 'გარე ტემპერატურა',
  'exp.temperature.station': 'გაზომილია მეტეოსადგურის {name} მიერ',
  'exp.temperature.normals':
    'გარე ტემპერატურა: თვიური ნორმები, გაზომილი ტემპერატურა არ არის (ამინდზე ნორმალიზებული არ არის)',
  'exp.temperature.imported': '{days} დღე იმპორტირებული მეტეოროლოგიური ჩანაწერიდან',
  'exp.note.interval_excludes_zero': '95 % ინტერვალი ნულს არ შეიცავს: მონაცემები ეფექტს აჩვენებს.',
  'exp.note.interval_includes_zero': '95 % ინტერვალი ნულს შეიცავს: ეფექტის დადასტურება შეუძლებელია.',
  'exp.note.placebo_passed':
    'დაწყებამდე ინტერვენციისა და საკონტროლო ლოკაციები ერთნაირად იცვლებოდა (პლაცებო ტესტი გავლილია).',
  'exp.note.placebo_failed':
    'დაწყებამდეც ჯგუფები უკვე სხვადასხვაგვარად იცვლებოდა (პლაცებო ტესტი ვერ გაიარა): ეფექტი სიფრთხილით შეაფასეთ.',
  'exp.note.placebo_not_run': 'საბაზისო პერიოდი ძალიან მოკლეა პარალელური ტრენდების პლაცებო ტესტისთვის.',
  'exp.note.gl14_all_pass': 'ყველა {n} შენობის საბაზისო მოდელი აკმაყოფილებს ASHRAE Guideline 14-ს.',
  'exp.note.gl14_some_fail':
    '{n}-დან {failing} საბაზისო მოდელი ვერ აკმაყოფილებს ASHRAE Guideline 14-ს: დანაზოგი ნაკლებად სანდოა.',
  'exp.note.extrapolated':
    'ზოგიერთი შენობის საბაზისო პერიოდში თბილი დღეები არ არის: საანგარიშო პერიოდის თბილი დღეები ექსტრაპოლირებულია და ინტერვალი ამ განუსაზღვრელობასაც მოიცავს.',
  'exp.note.no_control': 'საკონტროლო ლოკაციები არ არის: სეზონი და ტრენდი ეფექტისგან გამიჯნული არ არის.',
  'exp.kpi.wasted_trip_share': 'ცარიელი რეისები (ნახევარზე ნაკლებად სავსე ურნების გატანის წილი)',
  'exp.kpi.overflow_bin_days': 'გადავსებული ურნა-დღეები',
  'exp.kpi.collections_per_bin_week': 'გატანები ურნაზე კვირაში',
  'exp.kpi.fill_at_collection': 'შევსება გატანისას',
  'exp.kpi.daily_bicycle': 'ველოსიპედისტები დღეში',
  'exp.kpi.daily_escooter': 'ელექტროსკუტერები დღეში',
  'exp.kpi.daily_pedestrian': 'ფეხით მოსიარულეები დღეში',
  'exp.kpi.daily_car': 'ავტომობილები დღეში',
  'exp.kpi.daily_bus': 'ავტობუსები დღეში',
  'exp.kpi.modal_split_active': 'აქტიური მობილობის წილი',
  'exp.kpi.daily_kwh': 'დღიური ენერგომოხმარება',
  'exp.kpi.night_base_load_kw': 'ღამის საბაზისო დატვირთვა',
  'exp.kpi.avoided_kwh': 'თავიდან აცილებული ენერგია',
  'exp.kpi.savings_fraction': 'დანაზოგი',
  'exp.answers_title': 'პასუხები ამ დროისთვის',
  'exp.answer': '{name}: {estimate} {what} (95 % ინტერვალი {low} … {high})',
  'exp.answer_loading': '{name}: ფასდება…',
  'exp.answer_none': '{name}: შეფასება ჯერ არ არის',
  'exp.answer_failed': '{name}: ვერ ჩაიტვირთა',
  'exp.what.wasted_trip_share': 'ცარიელი რეისები (გატანების წილი)',
  'exp.what.overflow_bin_days': 'გადავსებული ურნა-დღეები (წილი)',
  'exp.what.collections_per_bin_week': 'გატანა ურნაზე კვირაში',
  'exp.what.fill_at_collection': 'შევსება გატანისას',
  'exp.what.daily_bicycle': 'ველოსიპედისტი',
  'exp.what.daily_escooter': 'ელექტროსკუტერი',
  'exp.what.daily_pedestrian': 'ფეხით მოსიარულე',
  'exp.what.daily_car': 'ავტომობილი',
  'exp.what.daily_bus': 'ავტობუსი',
  'exp.what.modal_split_active': 'აქტიური მობილობის წილი',
  'exp.what.daily_kwh': 'დღიური ენერგომოხმარება',
  'exp.what.night_base_load_kw': 'ღამის საბაზისო დატვირთვა',
  'exp.what.avoided_kwh': 'დაზოგილი',
  'exp.what.savings_fraction': 'დანაზოგი',
  'exp.unit.relative_change': 'ფარდობითი ცვლილება (%)',
  'exp.unit.fraction': 'წილის ცვლილება (პროცენტული პუნქტი)',
  'exp.unit.fraction_of_bin_days': 'ურნა-დღეების წილის ცვლილება (პროცენტული პუნქტი)',
  'exp.unit.collections_bin_week': 'გატანების ცვლილება ურნაზე კვირაში',
  'exp.unit.kWh': 'ენერგია (კვტ·სთ)',
  'exp.level.collections': 'გატანა ურნაზე კვირაში',
  'exp.level.per_counter_day': 'მრიცხველზე დღეში',
  'exp.level.kwh_building_day': 'კვტ·სთ შენობაზე დღეში',
  'exp.level.value': 'მნიშვნელობა',
};
