// A panel for creating or editing one thing beside a list (desktop) or over it (phones, where it would
// otherwise open far below the list). Focus moves into it when it opens; Escape and the button close it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

export function SidePanel({ label, onClose, children }: { label: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [label]);
  return (
    <aside ref={ref} class="card side-panel" aria-label={label} tabIndex={-1} data-testid="side-panel">
      <div class="panel-close">
        <button type="button" class="button" onClick={onClose}>
          ✕ {t('common.close')}
        </button>
      </div>
      {children}
    </aside>
  );
}
