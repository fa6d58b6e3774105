// The frame around every signed-in screen: top bar (product, area, user, connection) and the role's
// destinations as a bottom bar on phones and a side rail on desktop. Exactly one destination is highlighted.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { areaName, areas } from '../state/areas';
import { connection, pendingScans } from '../state/connection';
import { t } from '../i18n';
import { currentUser } from '../state/session';
import { Icon } from './icons';
import { activeDestination, DESTINATIONS, PHONE_COUNT } from './nav';
import { ScanGuard } from './ScanGuard';
import { SignOutButton } from './SignOutButton';
import { SignOutQuestion } from './SignOutQuestion';

function ConnectionBadge() {
  const state = connection.value;
  const pending = pendingScans.value;
  const label =
    state === 'online'
      ? pending > 0
        ? t('conn.waiting', { count: pending })
        : t('conn.online')
      : state === 'reconnecting'
        ? t('conn.reconnecting')
        : pending > 0
          ? t('conn.offlineWaiting', { count: pending })
          : t('conn.offline');
  return (
    <span class={`conn conn-${state}`} role="status" aria-live="polite" data-testid="connection">
      <span aria-hidden="true">{state === 'online' ? '●' : state === 'reconnecting' ? '◌' : '○'}</span> {label}
    </span>
  );
}

export function Shell({ children }: { children: ComponentChildren }) {
  const user = currentUser.value;
  const { path } = useLocation();
  if (!user) return <>{children}</>;
  // The wall display is a screen above the floor: the board only, no app chrome.
  if (path === '/board/wall') {
    return (
      <main class="content content-wall" id="main">
        {children}
      </main>
    );
  }
  const destinations = DESTINATIONS[user.role];
  const active = activeDestination(destinations, path);
  // Until the areas are loaded an area id has no name yet: say nothing rather than "Area 1".
  const area = user.areaId !== null && areas.value.length === 0 ? '…' : areaName(user.areaId);
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/" aria-label={t('shell.home')}>
          <Icon name="brand" size={26} />
          <span class="brand-name">TraceTrack</span>
        </a>
        {/* Who and where, in two short lines that stay legible on a 360 px phone; a tap opens Me (sign-out). */}
        <a class="topbar-who" href="/me" data-testid="topbar-who">
          <span class="topbar-area">{area}</span>
          <span class="topbar-user">
            {user.username} <small class="topbar-role">{t(`role.${user.role}`)}</small>
          </span>
          <span class="visually-hidden">{t('shell.myPage')}</span>
        </a>
        <ConnectionBadge />
        <SignOutButton class="link-button topbar-signout" />
        <SignOutQuestion />
      </header>
      <nav class="rail" aria-label={t('nav.main')}>
        {destinations.map((d, i) => (
          <a key={d.path} href={d.path} class={`rail-item${i >= PHONE_COUNT[user.role] ? ' rail-extra' : ''}`} aria-current={active === d.path ? 'page' : undefined}>
            <Icon name={d.icon} class="rail-icon" />
            <span class="rail-label">{t(d.label)}</span>
          </a>
        ))}
      </nav>
      <main class="content" id="main">
        <ScanGuard />
        {children}
      </main>
    </div>
  );
}
