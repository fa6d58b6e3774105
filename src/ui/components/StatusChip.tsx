// Status as a chip: colour, icon and word together (colour-blind safe), the word in the user's language.
import { tryT } from '../i18n';

const LOOK: Record<string, { tone: string; icon: string }> = {
  open: { tone: 'info', icon: '◌' },
  completed: { tone: 'ok', icon: '✔' },
  linked: { tone: 'ok', icon: '✔' },
  added: { tone: 'ok', icon: '✔' },
  unlinked: { tone: 'muted', icon: '○' },
  duplicate: { tone: 'warn', icon: '⚠' },
  rejected: { tone: 'bad', icon: '✖' },
  empty: { tone: 'muted', icon: '○' },
  in_progress: { tone: 'info', icon: '◔' },
  not_complete: { tone: 'warn', icon: '▲' },
  finalized: { tone: 'ok', icon: '▣' },
  active: { tone: 'ok', icon: '✔' },
  inactive: { tone: 'bad', icon: '✖' },
  cancelled: { tone: 'muted', icon: '✖' },
  returned: { tone: 'warn', icon: '↶' },
};

export function StatusChip({ status }: { status: string }) {
  const look = LOOK[status] ?? { tone: 'muted', icon: '•' };
  return (
    <span class={`chip chip-${look.tone}`} data-status={status}>
      <span aria-hidden="true">{look.icon}</span> {tryT(`status.${status}`) ?? status.replace(/_/g, ' ')}
    </span>
  );
}

/** A role in words ("dispatcher", "डिस्पैचर"). */
export function roleName(role: string): string {
  return tryT(`role.${role}`) ?? role;
}
