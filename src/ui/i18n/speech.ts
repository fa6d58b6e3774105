// The optional spoken count ("सत्ताईस / तीस", "27 of 30") through the browser's own speech synthesis, for
// eyes-free scanning. Off by default; each user turns it on for this device on the Me page.
import { countWords, currentLocale } from '.';
import { spokenCount } from './preferences';

export function speechAvailable(): boolean {
  return typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** Says the count if the user asked for it; a newer count cuts off one still being said. */
export function speakCount(count: number, capacity: number): void {
  if (!spokenCount.value || !speechAvailable()) return;
  try {
    const utterance = new SpeechSynthesisUtterance(countWords(count, capacity));
    utterance.lang = currentLocale();
    utterance.rate = 1.1;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  } catch {
    // Speech is a help, never a reason for a scan to fail.
  }
}
