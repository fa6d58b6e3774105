// Input for keyboard-wedge scanners and typed codes: characters are buffered until Enter or Tab (or a short
// quiet gap after a fast burst), then trimmed, upper-cased and handed over once. The field keeps focus so a
// scanner works without anyone touching the screen; it takes it back after any tap elsewhere, and a key
// pressed while nothing is focused is steered into it before its character lands.
import { useEffect, useRef } from 'preact/hooks';

export interface ScanInputProps {
  onScan: (code: string) => void;
  label: string;
  /** Keep focus (scanner screens). Off for forms where the user types elsewhere. */
  autoFocus?: boolean;
  disabled?: boolean;
}

/** Keys closer together than this are a scanner's burst, not a person typing. */
const BURST_GAP_MS = 50;
/** After a burst with no terminator, this much quiet ends the code. Well above any scanner's key spacing,
 * so a burst is never split; well below the time between two labels, so two scans are never merged. */
const BURST_END_MS = 200;

export function ScanInput({ onScan, label, autoFocus = true, disabled = false }: ScanInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const lastKeyAt = useRef(-Infinity);
  const burstTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  const submit = () => {
    const input = ref.current;
    if (!input) return;
    clearTimeout(burstTimer.current);
    lastKeyAt.current = -Infinity;
    const code = input.value.trim().toUpperCase();
    input.value = '';
    if (code) onScanRef.current(code);
  };

  useEffect(() => {
    if (!autoFocus || disabled) return;
    const focusInput = () => ref.current?.focus({ preventScroll: true });
    const isField = (target: EventTarget | null) =>
      target instanceof HTMLElement && target !== ref.current && !!target.closest('input, textarea, select, [contenteditable], dialog');
    const refocus = (event: Event) => {
      // Leave focus alone when the user chose another field or control.
      if (isField(event.target)) return;
      setTimeout(focusInput, 0);
    };
    // A scan arriving while focus is on a button or the page: move focus first, the key's text follows it.
    const steer = (event: KeyboardEvent) => {
      if (document.activeElement === ref.current || isField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key.length === 1) focusInput();
    };
    focusInput();
    document.addEventListener('click', refocus);
    document.addEventListener('keydown', steer, true);
    return () => {
      document.removeEventListener('click', refocus);
      document.removeEventListener('keydown', steer, true);
    };
  }, [autoFocus, disabled]);

  useEffect(() => () => clearTimeout(burstTimer.current), []);

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
          // event.timeStamp is when the key was pressed, not when a busy page got round to it, so a
          // burst delivered late still counts as a burst.
          const fast = event.timeStamp - lastKeyAt.current < BURST_GAP_MS;
          lastKeyAt.current = event.timeStamp;
          clearTimeout(burstTimer.current);
          // Scanners without a terminator: end the code after a quiet gap, but only after a fast burst.
          if (fast) burstTimer.current = setTimeout(submit, BURST_END_MS);
        }}
      />
    </label>
  );
}
