// The frame around every signed-in screen: top bar (product, area, user, connection) and the role's
// destinations as a bottom bar on phones and a side rail on desktop.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { areaName } from '../state/areas';
import { connection, pendingScans } from '../state/connection';
import { currentUser, signOut } from '../state/session';
import { DESTINATIONS } from './nav';
import { ScanGuard } from './ScanGuard';
import { SignOutQuestion } from './SignOutQuestion';

function ConnectionBadge() {
  const state = connection.value;
  const pending = pendingScans.value;
  const label =
    state === 'online' ? (pending > 0 ? `${pending} waiting` : 'Online') : state === 'reconnecting' ? 'Reconnecting…' : `Offline${pending > 0 ? ` · ${pending} waiting` : ''}`;
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
  const destinations = DESTINATIONS[user.role];
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/">TraceTrack</a>
        <span class="topbar-area">{areaName(user.areaId)}</span>
        <ConnectionBadge />
        <span class="topbar-user">
          {user.username} <small>({user.role})</small>
        </span>
        <button type="button" class="link-button" aria-label="Sign out" title="Sign out" data-testid="sign-out" onClick={() => void signOut()}>
          <span aria-hidden="true">⎋</span> <span class="sign-out-words">Sign out</span>
        </button>
        <SignOutQuestion />
      </header>
      <nav class="rail" aria-label="Main">
        {destinations.map((d, i) => (
          <a
            key={d.path}
            href={d.path}
            class={`rail-item${i >= 4 ? ' rail-extra' : ''}`}
            aria-current={path === d.path || path.startsWith(`${d.path}/`) ? 'page' : undefined}
          >
            <span class="rail-icon" aria-hidden="true">
              {d.icon}
            </span>
            <span>{d.label}</span>
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
