// Status as a chip: colour, icon and word together (colour-blind safe).
const LOOK: Record<string, { tone: string; icon: string; label?: string }> = {
  open: { tone: 'info', icon: '◌' },
  completed: { tone: 'ok', icon: '✔' },
  linked: { tone: 'ok', icon: '✔' },
  added: { tone: 'ok', icon: '✔' },
  unlinked: { tone: 'muted', icon: '○' },
  duplicate: { tone: 'warn', icon: '⚠' },
  rejected: { tone: 'bad', icon: '✖' },
  empty: { tone: 'muted', icon: '○' },
  in_progress: { tone: 'info', icon: '◔', label: 'in progress' },
  not_complete: { tone: 'warn', icon: '▲', label: 'not complete' },
  finalized: { tone: 'ok', icon: '▣' },
  active: { tone: 'ok', icon: '✔' },
  inactive: { tone: 'bad', icon: '✖' },
};

export function StatusChip({ status }: { status: string }) {
  const look = LOOK[status] ?? { tone: 'muted', icon: '•' };
  return (
    <span class={`chip chip-${look.tone}`}>
      <span aria-hidden="true">{look.icon}</span> {look.label ?? status.replace(/_/g, ' ')}
    </span>
  );
}
