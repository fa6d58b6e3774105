// Sign out, but never silently with scans still waiting on this device: say how many, and that they stay here
// (per user, in IndexedDB) and are sent when this user signs in again on this device.
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { t } from '../i18n';
import { pendingScans } from '../state/connection';
import { signOut } from '../state/session';

export function SignOutButton() {
  const [asking, setAsking] = useState(false);
  const waiting = pendingScans.value;
  return (
    <>
      <button
        type="button"
        class="link-button"
        aria-label="Sign out"
        title="Sign out"
        data-testid="sign-out"
        onClick={() => (waiting > 0 ? setAsking(true) : void signOut())}
      >
        <span aria-hidden="true">⎋</span> <span class="sign-out-words">Sign out</span>
      </button>
      {asking && (
      <ConfirmDialog
        open
        title={t('signout.waitingTitle')}
        confirmLabel={t('signout.anyway')}
        cancelLabel={t('signout.stay')}
        danger
        onConfirm={() => {
          setAsking(false);
          void signOut();
        }}
        onCancel={() => setAsking(false)}
      >
        <p data-testid="signout-warning">{t('signout.waiting', { count: waiting })}</p>
      </ConfirmDialog>
      )}
    </>
  );
}
