/** The URL is the state that a shared link carries: view, device, metric, range, experiment and language. */
import { isLang, type Lang } from '../i18n/i18n.svelte.js';

export const VIEWS = [
  'overview',
  'waste',
  'mobility',
  'energy',
  'device',
  'alerts',
  'collection',
  'health',
  'experiments',
  'portfolio',
] as const;
export type View = (typeof VIEWS)[number];
export const RANGES = ['24h', '7d', '30d', 'custom'] as const;
export type RangeName = (typeof RANGES)[number];

export interface RouteState {
  view: View;
  device: string | undefined;
  metric: string | undefined;
  range: RangeName;
  from: number | undefined;
  to: number | undefined;
  /** On the Experiments view: the experiment to show first. */
  experiment: string | undefined;
  lang: Lang | undefined;
}

export function parseRoute(search: string): RouteState {
  const q = new URLSearchParams(search);
  const view = q.get('view');
  const range = q.get('range');
  const num = (name: string) => {
    const value = Number(q.get(name));
    return q.has(name) && Number.isFinite(value) ? value : undefined;
  };
  const lang = q.get('lang');
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'overview',
    device: q.get('device') ?? undefined,
    metric: q.get('metric') ?? undefined,
    range: (RANGES as readonly string[]).includes(range ?? '') ? (range as RangeName) : '24h',
    from: num('from'),
    to: num('to'),
    experiment: q.get('experiment') ?? undefined,
    lang: isLang(lang) ? lang : undefined,
  };
}

export function formatRoute(state: RouteState): string {
  const q = new URLSearchParams();
  if (state.view !== 'overview') q.set('view', state.view);
  if (state.view === 'device') {
    if (state.device) q.set('device', state.device);
    if (state.metric) q.set('metric', state.metric);
    if (state.range !== '24h') q.set('range', state.range);
    if (state.range === 'custom' && state.from !== undefined) q.set('from', String(state.from));
    if (state.range === 'custom' && state.to !== undefined) q.set('to', String(state.to));
  }
  if (state.view === 'experiments' && state.experiment) q.set('experiment', state.experiment);
  if (state.lang) q.set('lang', state.lang);
  const text = q.toString();
  return text ? `?${text}` : location.pathname;
}

export class Route {
  state = $state<RouteState>(parseRoute(location.search));

  constructor() {
    addEventListener('popstate', () => (this.state = parseRoute(location.search)));
  }

  href(patch: Partial<RouteState>): string {
    return formatRoute({ ...this.state, ...patch });
  }

  go(patch: Partial<RouteState>, replace = false): void {
    this.state = { ...this.state, ...patch };
    const url = formatRoute(this.state);
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }
}
