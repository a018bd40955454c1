import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { forgetTicks } from './lib/plan-ticks.js';
import { clock, live, offline, portfolio, session } from './lib/stores.js';

// Nothing but the login form (and, in public mode, the public indicators) until signed in.
session.onSignedIn = () => {
  live.restart();
  void portfolio.load();
  // What a crew needs without signal, kept from the first sign-in on (the plan at its default horizon).
  void offline.register([
    '/api/auth/me',
    '/api/auth/config',
    '/api/portfolio',
    '/api/waste/collection-plan?horizon=24h',
    '/api/device-health',
  ]);
};
session.onSignedOut = (reason) => {
  portfolio.reset();
  if (session.publicMode) live.restart();
  else live.stop();
  // Not reachable is not signed out: whatever was kept for the signal's return stays.
  if (reason !== 'unreachable') void offline.forget();
  // Signing out hands the phone on: the crew's ticks go too (an expired session keeps them).
  if (reason === 'logout') forgetTicks(storage());
};
session.onAnswer = (response) => offline.note('session', response);
portfolio.onAnswer = (response) => offline.note('portfolio', response);
// A socket refused or closed for its session: ask the server whether the session still holds.
live.onSessionLost = () => void session.check();
clock.start();
void session.check();

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
export default mount(App, { target });
