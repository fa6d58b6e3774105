// Sign out, but never silently with scans still waiting on this device: signOut() asks here first, wherever it
// was pressed (top bar, Me page). The question says how many, and that they stay on this device (per user, in
// IndexedDB) and are sent when this user signs in again here.
import { ConfirmDialog } from '../components/ConfirmDialog';
import { t } from '../i18n';
import { pendingScans } from '../state/connection';
import { signOut, signOutAsked } from '../state/session';

export function SignOutQuestion() {
  if (!signOutAsked.value) return null;
  return (
    <ConfirmDialog
      open
      title={t('signout.waitingTitle')}
      confirmLabel={t('signout.anyway')}
      cancelLabel={t('signout.stay')}
      danger
      onConfirm={() => void signOut()}
      onCancel={() => (signOutAsked.value = false)}
    >
      <p data-testid="signout-warning">{t('signout.waiting', { count: pendingScans.value })}</p>
    </ConfirmDialog>
  );
}
