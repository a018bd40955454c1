/**
 * MQTT topic filters of sources: checking them, matching topics, and the `{device}` placeholder of
 * the json format (a whole level that names the device; subscribed as `+`).
 */

export const DEVICE_PLACEHOLDER = '{device}';

/** Why a topic filter is not usable, or undefined when it is. */
export function filterProblem(filter: string, placeholderAllowed: boolean): string | undefined {
  if (filter.length === 0) return 'an empty topic filter';
  if (filter.startsWith('$')) return 'a filter outside the broker-reserved `$` topics';
  const levels = filter.split('/');
  let placeholders = 0;
  for (const [i, level] of levels.entries()) {
    if (level === '#' && i !== levels.length - 1) return '`#` only as the last level';
    if (level !== '#' && level !== '+' && /[#+]/.test(level)) return '`+` and `#` only as whole levels';
    if (level.includes('{') || level.includes('}')) {
      if (level !== DEVICE_PLACEHOLDER || !placeholderAllowed)
        return placeholderAllowed
          ? '`{device}` only as a whole level'
          : 'no `{device}` placeholder (only the json format has one)';
      placeholders += 1;
    }
  }
  if (placeholders > 1) return 'at most one `{device}` level';
  return undefined;
}

/** The filter the broker is given: `{device}` becomes `+`. */
export function subscriptionFilter(filter: string): string {
  return filter
    .split('/')
    .map((level) => (level === DEVICE_PLACEHOLDER ? '+' : level))
    .join('/');
}

/** The index of the `{device}` level, or -1. */
export function placeholderLevel(filter: string): number {
  return filter.split('/').indexOf(DEVICE_PLACEHOLDER);
}

/** True when `topic` (no wildcards) is matched by `filter` (`{device}` counts as `+`). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = subscriptionFilter(filter).split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when some topic is matched by both filters. */
export function filtersOverlap(a: string, b: string): boolean {
  const x = subscriptionFilter(a).split('/');
  const y = subscriptionFilter(b).split('/');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') return true;
    if (p === undefined || q === undefined) return false;
    if (p !== '+' && q !== '+' && p !== q) return false;
  }
  return true;
}
