// Sound and vibration for each answer, generated on the spot (Web Audio oscillators, no files). Distinct on
// purpose, so the result is known without looking: linked = one high short beep, duplicate = two mid beeps,
// refused = a low long buzz, saved on the device = a soft falling pair, bag complete = a rising three-note
// chime, a question = a two-tone call, information = a short tick. Every answer is also announced as a
// `tracetrack:feedback` event on window, so a test can count one answer per scan.
export type FeedbackKind = 'linked' | 'duplicate' | 'rejected' | 'queued' | 'complete' | 'question' | 'info';

interface Tone {
  freq: number;
  ms: number;
  type: OscillatorType;
}

const SOUNDS: Record<FeedbackKind, Tone[]> = {
  linked: [{ freq: 1760, ms: 90, type: 'sine' }],
  duplicate: [
    { freq: 880, ms: 90, type: 'square' },
    { freq: 880, ms: 90, type: 'square' },
  ],
  rejected: [{ freq: 220, ms: 380, type: 'sawtooth' }],
  queued: [
    { freq: 990, ms: 80, type: 'triangle' },
    { freq: 660, ms: 110, type: 'triangle' },
  ],
  complete: [
    { freq: 1047, ms: 120, type: 'sine' },
    { freq: 1319, ms: 120, type: 'sine' },
    { freq: 1568, ms: 260, type: 'sine' },
  ],
  question: [
    { freq: 660, ms: 140, type: 'triangle' },
    { freq: 990, ms: 200, type: 'triangle' },
  ],
  info: [{ freq: 1320, ms: 60, type: 'sine' }],
};

const VIBRATION: Record<FeedbackKind, number[]> = {
  linked: [40],
  duplicate: [60, 60, 60],
  rejected: [250, 80, 250],
  queued: [30, 60, 30],
  complete: [80, 60, 80, 60, 300],
  question: [120, 80, 120],
  info: [20],
};

const GAP_MS = 70;
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  // Created on first use: browsers only let audio start after a key press or tap, which a scan is.
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

export interface FeedbackDetail {
  kind: FeedbackKind;
  qr: string;
  /** The answer to a scan (what "one answer per scan" counts), not a report such as a replay. */
  toScan: boolean;
}

export function playFeedback(kind: FeedbackKind, qr = '', toScan = true): void {
  try {
    const ctx = audio();
    if (ctx) {
      let at = ctx.currentTime;
      for (const tone of SOUNDS[kind]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = tone.type;
        osc.frequency.value = tone.freq;
        // A short ramp avoids clicks at the start and end of each tone.
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + tone.ms / 1000);
        osc.connect(gain).connect(ctx.destination);
        osc.start(at);
        osc.stop(at + tone.ms / 1000 + 0.02);
        at += (tone.ms + GAP_MS) / 1000;
      }
    }
  } catch {
    // Sound is a help, never a reason for a scan to fail.
  }
  if (typeof navigator !== 'undefined' && 'vibrate' in navigator) navigator.vibrate(VIBRATION[kind]);
  window.dispatchEvent(new CustomEvent<FeedbackDetail>('tracetrack:feedback', { detail: { kind, qr, toScan } }));
}
