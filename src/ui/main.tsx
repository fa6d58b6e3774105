import { render } from 'preact';
import { App } from './app';
import { applyLanguage } from './i18n';
import { preferredLanguage } from './i18n/preferences';
import { installWedge } from './scanner/wedge';
import { loadSession } from './state/session';
import './styles.css';

// The device's language first (Hindi is its own chunk, fetched while /api/auth/me is in flight), so the
// first screen is already in it; the signed-in user's own choice follows as soon as they are known.
// Scans are listened for from the start, on every screen: none is ever dropped without an answer.
installWedge();
// Who is signed in is asked at once (the HTML preloads /api/auth/me, which has usually arrived before this script):
// the first render waits for it up to SESSION_WAIT_MS, so the scanner is the first thing drawn instead of
// "Loading…" and then the scanner one more frame and layout later; a slower answer shows "Loading…" meanwhile.
const SESSION_WAIT_MS = 300;
const session = loadSession();
const shortly = new Promise((resolve) => setTimeout(resolve, SESSION_WAIT_MS));
void Promise.all([applyLanguage(preferredLanguage()), Promise.race([session, shortly])]).finally(() => render(<App />, document.getElementById('app')!));

// The app shell from the device when the network is gone (src/ui/sw/service-worker.js); built files only (the
// development server has no /sw.js).
declare const __SERVICE_WORKER__: boolean;
if (__SERVICE_WORKER__ && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => undefined));
}
