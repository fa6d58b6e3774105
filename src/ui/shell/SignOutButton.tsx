// Sign out, labelled in words (top bar on wider screens, the Me page everywhere). Both go through signOut().
import { t } from '../i18n';
import { signOut } from '../state/session';
import { Icon } from './icons';

export function SignOutButton({ class: cls = 'button' }: { class?: string }) {
  return (
    <button type="button" class={cls} data-testid="sign-out" onClick={() => void signOut()}>
      <Icon name="signOut" size={20} /> <span>{t('shell.signOut')}</span>
    </button>
  );
}
