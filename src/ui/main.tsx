import { render } from 'preact';
import { App } from './app';
import { applyLanguage } from './i18n';
import { preferredLanguage } from './i18n/preferences';
import './styles.css';

// The device's language first (Hindi is its own chunk, fetched while /api/auth/me is in flight), so the
// first screen is already in it; the signed-in user's own choice follows as soon as they are known.
void applyLanguage(preferredLanguage()).finally(() => render(<App />, document.getElementById('app')!));
