// Scanner or person, key by key: terminators end a code only when one was typed, bursts end after a quiet
// gap, Tab with nothing typed is a person leaving the field, stray keys do not glue onto the next scan.
import { describe, expect, it } from 'vitest';
import { BURST_GAP_MS, RUN_BREAK_MS, STALE_MS, WedgeBuffer } from '../../../src/ui/scanner/wedge-buffer';

function type(b: WedgeBuffer, text: string, start: number, gap = 5) {
  return [...text].map((ch, i) => b.key(ch, start + i * gap));
}

describe('WedgeBuffer', () => {
  it('ends a code at Enter or Tab, trimmed and upper-cased, and keeps the keys from the page', () => {
    const b = new WedgeBuffer();
    expect(type(b, ' abc123 ', 0).every((v) => v.take)).toBe(true);
    expect(b.key('Enter', 40)).toEqual({ take: true, code: 'ABC123', armTimer: false });
    type(b, 'XY12', 100);
    expect(b.key('Tab', 120).code).toBe('XY12');
  });

  it('lets Enter and Tab through when nothing was typed (a person pressing a button or leaving the field)', () => {
    const b = new WedgeBuffer();
    expect(b.key('Tab', 0)).toEqual({ take: false, armTimer: false });
    expect(b.key('Enter', 10).take).toBe(false);
    expect(b.key('ArrowDown', 20).take).toBe(false);
  });

  it('arms the quiet-gap timer only during a fast burst', () => {
    const b = new WedgeBuffer();
    const verdicts = type(b, 'ABCD', 0);
    expect(verdicts[0]!.armTimer).toBe(false);
    expect(verdicts.slice(1).every((v) => v.armTimer)).toBe(true);
    expect(b.isBurst()).toBe(true);
    expect(b.quiet()).toBe('ABCD');
    // Slow typing never ends by itself.
    type(b, 'ABCD', 1000, BURST_GAP_MS + 100);
    expect(b.isBurst()).toBe(false);
    expect(b.quiet()).toBeNull();
  });

  it('keeps a burst a burst when one key of it comes late (Bluetooth, a busy phone)', () => {
    const b = new WedgeBuffer();
    // 12 keys 5 ms apart, but the 7th arrives 140 ms after the 6th.
    const times = [0, 5, 10, 15, 20, 25, 165, 170, 175, 180, 185, 190];
    const verdicts = [...'SMX69GF7U009'].map((ch, i) => b.key(ch, times[i]!));
    expect(b.isBurst()).toBe(true);
    // The quiet-gap timer stays armed through the late key, so a scanner without a terminator still ends.
    expect(verdicts.slice(1).every((v) => v.armTimer)).toBe(true);
    expect(b.quiet()).toBe('SMX69GF7U009');
  });

  it('judges the pace of the run after a pause, not the slow keys a person typed before it', () => {
    const b = new WedgeBuffer();
    type(b, 'ab', 0, 150);
    type(b, 'CHILD01', 150 + RUN_BREAK_MS + 50);
    expect(b.isBurst()).toBe(true);
    // A person typing at 80 ms a key is never a burst, however long they type.
    b.reset();
    type(b, 'SLOWTYPIST', 0, 80);
    expect(b.isBurst()).toBe(false);
    expect(b.quiet()).toBeNull();
  });

  it('drops a stray key pressed long before the next scan', () => {
    const b = new WedgeBuffer();
    b.key('q', 0);
    type(b, 'CHILD1', STALE_MS + 100);
    expect(b.key('Enter', STALE_MS + 200).code).toBe('CHILD1');
  });
});
