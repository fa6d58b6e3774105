// The one place scans come in from a keyboard-wedge scanner, for every scanning screen: a key listener on
// the whole document (capture phase), so a scan is taken wherever focus is — on the hidden scanner input, a
// button, the page, or inside an open dialog — and the Enter that ends it never presses a focused button.
// Keys typed into a real field (the manual entry, a form) belong to that field. The screen that scans
// registers a handler (ScanInput does); a scan arriving while none is registered (a screen still loading, a
// route change) waits briefly for one, and is then answered "not recorded" rather than dropped.
import { signal } from '@preact/signals';
import type { Outcome } from './scan-state';
import { BURST_END_MS, WedgeBuffer } from './wedge-buffer';

export type ScanHandler = (code: string) => void;

const handlers: ScanHandler[] = [];
const buffer = new WedgeBuffer();
let burstTimer: ReturnType<typeof setTimeout> | undefined;
let installed = false;

/**
 * An answer no screen on view can show, for the shell to show (ScanGuard): a scan that no screen took
 * ("not recorded", with its sound still to play), or the answer to a scan that came after its screen was left.
 */
export const offScreenAnswer = signal<{ outcome: Outcome; n: number; play: boolean } | null>(null);
let offScreen = 0;

export function answerOffScreen(outcome: Outcome, play: boolean): void {
  offScreenAnswer.value = { outcome, n: ++offScreen, play };
}

const waiting: string[] = [];
let waitTimer: ReturnType<typeof setTimeout> | undefined;
/** How long a scan waits for a scanning screen to mount (lazy chunk, route swap) before "not recorded". */
const WAIT_FOR_SCREEN_MS = 1500;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.dataset.scanInput !== undefined) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function deliver(code: string): void {
  const handler = handlers[handlers.length - 1];
  if (handler) {
    handler(code);
    return;
  }
  waiting.push(code);
  clearTimeout(waitTimer);
  waitTimer = setTimeout(() => {
    for (const c of waiting.splice(0)) answerOffScreen({ kind: 'rejected', qr: c, words: { key: 'scan.noScreen' }, toScan: true }, true);
  }, WAIT_FOR_SCREEN_MS);
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isEditable(event.target)) return;
  const terminator = event.key === 'Enter' || event.key === 'Tab';
  // Where no screen takes scans, keys are people's (links, buttons, Tab) unless they came as a scanner's
  // burst: only then is the terminator kept from the page, and the scan answered "not recorded".
  if (handlers.length === 0 && terminator && !buffer.isBurst()) {
    buffer.reset();
    return;
  }
  const verdict = buffer.key(event.key, event.timeStamp);
  if (!verdict.take) return;
  if (handlers.length === 0 && !terminator) return;
  event.preventDefault();
  event.stopPropagation();
  clearTimeout(burstTimer);
  if (verdict.code) {
    deliver(verdict.code);
  } else if (verdict.armTimer) {
    burstTimer = setTimeout(() => {
      const code = buffer.quiet();
      if (code) deliver(code);
    }, BURST_END_MS);
  }
}

/** Listens from the first scanning screen on; stays for the page's life so no scan is ever missed. */
export function installWedge(): void {
  if (installed || typeof document === 'undefined') return;
  installed = true;
  document.addEventListener('keydown', onKeyDown, true);
}

/** The screen's handler for scans from now on; the returned function unregisters it. */
export function claimScans(handler: ScanHandler): () => void {
  installWedge();
  handlers.push(handler);
  clearTimeout(waitTimer);
  for (const code of waiting.splice(0)) handler(code);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** Hands a code typed or decoded elsewhere (manual field, camera) to the same handler as a wedge scan. */
export function submitScan(code: string): void {
  const trimmed = code.trim().toUpperCase();
  if (trimmed) deliver(trimmed);
}
