/** The dashboard's stores, one of each. Only views (and App) import this module. */
import { I18n, isLang } from '../i18n/i18n.svelte.js';
import { Clock } from './clock.svelte.js';
import { LiveConnection } from './live.svelte.js';
import { OfflineState } from './offline.svelte.js';
import { Portfolio } from './portfolio.svelte.js';
import { Route } from './route.svelte.js';
import { Session } from './session.svelte.js';

export const LANG_STORAGE_KEY = 'kutaisi.lang';

export const route = new Route();
export const i18n = new I18n();
const stored = (() => {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null;
  }
})();
// A shared link wins, then the user's last choice, then the browser's language.
i18n.lang = route.state.lang ?? (isLang(stored) ? stored : navigator.language.startsWith('ka') ? 'ka' : 'en');
export const live = new LiveConnection();
export const portfolio = new Portfolio();
export const clock = new Clock();
export const session = new Session();
export const offline = new OfflineState();
