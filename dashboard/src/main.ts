import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { clock, live, portfolio, session } from './lib/stores.js';

// Nothing but the login form (and, in public mode, the public indicators) until signed in.
session.onSignedIn = () => {
  live.restart();
  void portfolio.load();
};
session.onSignedOut = () => {
  portfolio.reset();
  if (session.publicMode) live.restart();
  else live.stop();
};
// A socket refused or closed for its session: ask the server whether the session still holds.
live.onSessionLost = () => void session.check();
clock.start();
void session.check();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
export default mount(App, { target });
