import { afterEach, describe, expect, it } from 'vitest';
import { dayInZone, formatAge, formatDateTime, formatNumber, formatTime, hourInZone, setLocale, setTimeZone, timeZone, zoneLabel } from '../../../src/ui/format';

afterEach(() => {
  setTimeZone('Asia/Kolkata');
  setLocale('en-IN');
});

describe('UI formatting in the deployment time zone', () => {
  it('shows times in Asia/Kolkata by default, with the zone', () => {
    setLocale('en-IN');
    expect(timeZone()).toBe('Asia/Kolkata');
    // 20:45 UTC is 02:15 the next day in India (UTC+5:30).
    const text = formatDateTime('2026-11-24T20:45:00.000Z');
    expect(text).toContain('25');
    expect(text).toContain('02:15');
    expect(text).toMatch(/IST|GMT\+5:30/);
    expect(formatTime('2026-11-24T20:45:09.000Z')).toMatch(/^02:15:09 (IST|GMT\+5:30)$/);
  });

  it('follows a configured zone and ignores an unknown one', () => {
    setTimeZone('Europe/London');
    expect(hourInZone('2026-11-24T20:45:00.000Z')).toBe(20);
    setTimeZone('Not/AZone');
    expect(timeZone()).toBe('Europe/London');
    expect(zoneLabel(new Date('2026-11-24T20:45:00.000Z'))).toMatch(/GMT|UTC/);
  });

  it('gives the local calendar day, which is what date filters mean', () => {
    expect(dayInZone(new Date('2026-11-24T20:45:00.000Z'))).toBe('2026-11-25');
    expect(dayInZone(new Date('2026-11-24T18:00:00.000Z'))).toBe('2026-11-24');
    expect(hourInZone('2026-11-24T18:30:00.000Z')).toBe(0);
  });

  it('groups numbers for the locale and says — for missing values', () => {
    setLocale('en-IN');
    expect(formatNumber(1800000)).toBe('18,00,000');
    setLocale('en-US');
    expect(formatNumber(1800000)).toBe('1,800,000');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });

  it('says how long ago in the largest whole unit, in the chosen language', () => {
    expect(formatAge(null)).toBe('—');
    setLocale('en-IN');
    expect(formatAge(59.9)).toMatch(/^59 sec/);
    expect(formatAge(61)).toMatch(/^1 min/);
    expect(formatAge(3 * 3600 + 5)).toMatch(/^3 h/);
    setLocale('hi-IN');
    // Devanagari units, not the English abbreviations (issue 9: every string in the user's language).
    expect(formatAge(59.9)).toMatch(/^59 से/);
    expect(formatAge(61)).toMatch(/^1 मि/);
    expect(formatAge(3 * 3600 + 5)).toMatch(/^3 घं/);
    setLocale('en-IN');
  });
});
