/**
 * The language of the dashboard and every formatter that depends on it. Numbers and dates go
 * through Intl (`en`, `ka-GE`); times are shown in the city's zone (the portfolio's `timezone`,
 * set once it has loaded) so a shared link reads the same wherever it is opened.
 */
import { en, type MessageKey } from './en.js';
import { ka } from './ka.js';

export const LANGS = ['ka', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { ka: 'ქართული', en: 'English' };
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, ka };
const LOCALES: Record<Lang, string> = { en: 'en', ka: 'ka-GE' };

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'ka';
}

export class I18n {
  lang = $state<Lang>('ka');
  /** The city's IANA time zone; the browser's own until the portfolio says. */
  zone = $state(Intl.DateTimeFormat().resolvedOptions().timeZone);

  get locale(): string {
    return LOCALES[this.lang];
  }

  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const text = CATALOGUES[this.lang][key] ?? en[key];
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };

  private cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
  private get<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
    id: string,
    make: (locale: string) => T,
  ): T {
    const key = `${this.locale}|${this.zone}|${id}`;
    let format = this.cache.get(key) as T | undefined;
    if (!format) {
      format = make(this.locale);
      this.cache.set(key, format);
    }
    return format;
  }

  number = (value: number | null | undefined, digits = 0): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return '–';
    return this.get(
      `n${digits}`,
      (l) => new Intl.NumberFormat(l, { maximumFractionDigits: digits, minimumFractionDigits: digits }),
    ).format(value);
  };

  /** With its sign: "+49", "−3.5" (a true minus sign), "0". */
  signed = (value: number, digits = 0): string => {
    if (!Number.isFinite(value)) return '–';
    const text = this.number(Math.abs(value), digits);
    const zero = Number(Math.abs(value).toFixed(digits)) === 0;
    return zero ? text : `${value < 0 ? '−' : '+'}${text}`;
  };

  percent = (fraction: number | null | undefined): string => {
    if (fraction === null || fraction === undefined) return '–';
    return this.get(
      'pct',
      (l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 }),
    ).format(fraction);
  };

  /**
   * Whether this browser's Intl has data for the language. Chromium ships a reduced ICU without
   * Georgian, and would silently answer in English; then dates and durations use the catalogue.
   */
  private get intlSpeaks(): boolean {
    const key = `speaks|${this.locale}`;
    let speaks = this.speaksCache.get(key);
    if (speaks === undefined) {
      speaks = Intl.DateTimeFormat.supportedLocalesOf([this.locale]).length > 0;
      this.speaksCache.set(key, speaks);
    }
    return speaks;
  }
  private speaksCache = new Map<string, boolean>();

  /** Parts of `ts` in the city's zone, numbers only (language-neutral). */
  private parts(ts: number): Record<string, string> {
    const format = this.get(
      'parts',
      () =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: this.zone,
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }),
    );
    return Object.fromEntries(format.formatToParts(ts).map((p) => [p.type, p.value]));
  }

  private monthName(ts: number): string {
    const p = this.parts(ts);
    return this.t('time.months').split(',')[Number(p.month) - 1] ?? p.month ?? '';
  }

  /** "Nov 2026": month names from the catalogue (Chromium has no Georgian ones). */
  month = (ts: number): string => `${this.monthName(ts)} ${this.parts(ts).year}`;

  /** The city's calendar date, YYYY-MM-DD. */
  dateKey = (ts: number): string => {
    const p = this.parts(ts);
    return `${p.year}-${(p.month ?? '').padStart(2, '0')}-${(p.day ?? '').padStart(2, '0')}`;
  };

  dateTime = (ts: number | null | undefined): string => {
    if (ts === null || ts === undefined) return '–';
    if (!this.intlSpeaks) return `${this.day(ts)} ${this.parts(ts).year}, ${this.time(ts)}`;
    return this.get(
      'dt',
      (l) =>
        new Intl.DateTimeFormat(l, {
          dateStyle: 'medium',
          timeStyle: 'short',
          hourCycle: 'h23',
          timeZone: this.zone,
        }),
    ).format(ts);
  };

  time = (ts: number): string => {
    if (!this.intlSpeaks) return `${this.parts(ts).hour}:${this.parts(ts).minute}`;
    return this.get(
      'tm',
      (l) =>
        new Intl.DateTimeFormat(l, {
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone: this.zone,
        }),
    ).format(ts);
  };

  day = (ts: number): string => {
    if (!this.intlSpeaks) return `${Number(this.parts(ts).day)} ${this.monthName(ts)}`;
    return this.get(
      'day',
      (l) => new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric', timeZone: this.zone }),
    ).format(ts);
  };

  /** "3 s ago", "5 min ago", "2 h ago" in the current language. */
  ago = (ms: number): string => {
    const s = Math.max(0, Math.round(ms / 1000));
    const [n, unit, key] =
      s < 60
        ? ([s, 'second', 'time.seconds_ago'] as const)
        : s < 3600
          ? ([Math.floor(s / 60), 'minute', 'time.minutes_ago'] as const)
          : s < 86_400
            ? ([Math.floor(s / 3600), 'hour', 'time.hours_ago'] as const)
            : ([Math.floor(s / 86_400), 'day', 'time.days_ago'] as const);
    if (!this.intlSpeaks) return this.t(key, { n: this.number(n) });
    const rtf = this.get('rt', (l) => new Intl.RelativeTimeFormat(l, { numeric: 'always', style: 'short' }));
    return rtf.format(-n, unit);
  };

  /** A duration without "ago": used for "since last collection". */
  duration = (ms: number): string => {
    const m = Math.max(0, Math.round(ms / 60_000));
    const [n, unit, key] =
      m < 60
        ? ([m, 'minute', 'time.minutes'] as const)
        : m < 48 * 60
          ? ([Math.floor(m / 60), 'hour', 'time.hours'] as const)
          : ([Math.floor(m / 1440), 'day', 'time.days'] as const);
    if (!this.intlSpeaks) return this.t(key, { n: this.number(n) });
    return this.get(
      `u-${unit}`,
      (l) => new Intl.NumberFormat(l, { style: 'unit', unit, unitDisplay: 'short' }),
    ).format(n);
  };
}
