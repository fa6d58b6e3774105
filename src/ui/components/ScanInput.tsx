// Input for keyboard-wedge scanners and typed codes: characters are buffered until Enter or Tab (or a short
// quiet gap after a fast burst), then trimmed, upper-cased and handed over once. The field keeps focus so a
// scanner works without anyone touching the screen; it takes it back after any tap elsewhere.
import { useEffect, useRef } from 'preact/hooks';

export interface ScanInputProps {
  onScan: (code: string) => void;
  label: string;
  /** Keep focus (scanner screens). Off for forms where the user types elsewhere. */
  autoFocus?: boolean;
  disabled?: boolean;
}

/** A burst faster than this per character is a scanner; a pause this long after it ends the code. */
const BURST_GAP_MS = 60;

export function ScanInput({ onScan, label, autoFocus = true, disabled = false }: ScanInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const lastKeyAt = useRef(0);
  const burstTimer = useRef<ReturnType<typeof setTimeout>>();

  const submit = () => {
    const input = ref.current;
    if (!input) return;
    clearTimeout(burstTimer.current);
    const code = input.value.trim().toUpperCase();
    input.value = '';
    if (code) onScan(code);
  };

  useEffect(() => {
    if (!autoFocus) return;
    const refocus = (event: Event) => {
      const target = event.target as HTMLElement | null;
      // Leave focus alone when the user chose another field or control.
      if (target && target !== ref.current && target.closest('input, textarea, select, [contenteditable]')) return;
      setTimeout(() => ref.current?.focus({ preventScroll: true }), 0);
    };
    ref.current?.focus({ preventScroll: true });
    document.addEventListener('click', refocus);
    return () => document.removeEventListener('click', refocus);
  }, [autoFocus]);

  return (
    <label class="scan-input">
      <span class="visually-hidden">{label}</span>
      <input
        ref={ref}
        type="text"
        inputMode="none"
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        disabled={disabled}
        data-testid="scan-input"
        aria-label={label}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === 'Tab') {
            event.preventDefault();
            submit();
            return;
          }
          const now = performance.now();
          const fast = now - lastKeyAt.current < BURST_GAP_MS;
          lastKeyAt.current = now;
          clearTimeout(burstTimer.current);
          // Scanners without a terminator: end the code after a quiet gap, but only after a fast burst.
          if (fast) burstTimer.current = setTimeout(submit, BURST_GAP_MS * 3);
        }}
      />
    </label>
  );
}
