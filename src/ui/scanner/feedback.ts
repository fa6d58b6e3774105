// Sound and vibration for each scan outcome, generated on the spot (Web Audio oscillators, no files).
// Distinct on purpose: linked = one high short beep, duplicate = two mid beeps, error = a low long buzz.
export type FeedbackKind = 'linked' | 'duplicate' | 'error' | 'info';

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
  error: [{ freq: 220, ms: 380, type: 'sawtooth' }],
  info: [{ freq: 1320, ms: 60, type: 'sine' }],
};

const VIBRATION: Record<FeedbackKind, number[]> = {
  linked: [40],
  duplicate: [60, 60, 60],
  error: [250, 80, 250],
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

export function playFeedback(kind: FeedbackKind): void {
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
}
