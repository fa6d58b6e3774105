// The scan input of every scanning screen (scanner, bill scanning, lookup). Keys are read by the page-wide
// wedge listener (scanner/wedge.ts), so a scan is taken wherever focus is — this input, a button, the page,
// an open dialog — and is never lost to a disabled field. The input itself is where focus rests between
// scans: invisible, no on-screen keyboard, taken back after any tap outside a real field. Tab with nothing
// typed leaves it (keyboard users reach the buttons); a scan ended by Tab is still a scan.
import { useEffect, useRef } from 'preact/hooks';
import { claimScans } from '../scanner/wedge';

export interface ScanInputProps {
  onScan: (code: string) => void;
  label: string;
  /** Keep focus on the input (scanner screens). Scans are taken either way. */
  autoFocus?: boolean;
}

export function ScanInput({ onScan, label, autoFocus = true }: ScanInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  useEffect(() => claimScans((code) => onScanRef.current(code)), []);

  useEffect(() => {
    if (!autoFocus) return;
    const focusInput = () => {
      // Not while a dialog is open or someone is in a field: their focus is theirs.
      const active = document.activeElement;
      if (document.querySelector('dialog[open]') || (active instanceof HTMLElement && active !== ref.current && active.closest('input, textarea, select, [contenteditable]'))) return;
      ref.current?.focus({ preventScroll: true });
    };
    const refocus = (event: Event) => {
      const target = event.target;
      if (target instanceof HTMLElement && target !== ref.current && target.closest('input, textarea, select, [contenteditable], label, dialog')) return;
      setTimeout(focusInput, 0);
    };
    focusInput();
    document.addEventListener('click', refocus);
    // A dialog closing (confirm / cancel) hands focus back to the scanner.
    document.addEventListener('close', refocus, true);
    return () => {
      document.removeEventListener('click', refocus);
      document.removeEventListener('close', refocus, true);
    };
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
        data-scan-input=""
        data-testid="scan-input"
        aria-label={label}
        // Nothing is typed into it: the wedge listener keeps the keys.
        value=""
        readOnly
      />
    </label>
  );
}
