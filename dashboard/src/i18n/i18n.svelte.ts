/**
 * The language of the dashboard and every formatter that depends on it. Numbers and dates go
 * through Intl (`en`, `ka-GE`); times are shown in the city's zone so a shared link reads the same.
 */
import { en, type MessageKey } from './en.js';
import { ka } from './ka.js';

export const LANGS = ['ka', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { ka: 'ქართული', en: 'English' };
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, ka };
const LOCALES: Record<Lang, string> = { en: 'en', ka: 'ka-GE' };
export const CITY_ZONE = 'Asia/Tbilisi';

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'ka';
}

export class I18n {
  lang = $state<Lang>('ka');

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
    const key = `${this.locale}|${id}`;
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
          timeZone: CITY_ZONE,
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

  private month(ts: number): string {
    const p = this.parts(ts);
    return this.t('time.months').split(',')[Number(p.month) - 1] ?? p.month ?? '';
  }

  dateTime = (ts: number | null | undefined): string => {
    if (ts === null || ts === undefined) return '–';
    if (!this.intlSpeaks) return `${this.day(ts)} ${this.parts(ts).year}, ${this.time(ts)}`;
    return this.get(
      'dt',
      (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short', timeZone: CITY_ZONE }),
    ).format(ts);
  };

  time = (ts: number): string => {
    if (!this.intlSpeaks) return `${this.parts(ts).hour}:${this.parts(ts).minute}`;
    return this.get(
      'tm',
      (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', timeZone: CITY_ZONE }),
    ).format(ts);
  };

  day = (ts: number): string => {
    if (!this.intlSpeaks) return `${Number(this.parts(ts).day)} ${this.month(ts)}`;
    return this.get(
      'day',
      (l) => new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric', timeZone: CITY_ZONE }),
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
