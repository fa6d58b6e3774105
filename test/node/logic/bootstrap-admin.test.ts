import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../scripts/bootstrap-admin';

describe('first-admin bootstrap', () => {
  it('refuses short, known and username-based passwords', () => {
    expect(passwordProblem('short', 'root')).toMatch(/12 characters/);
    expect(passwordProblem('tracetrack-dev', 'root')).toMatch(/12 characters|known/);
    expect(passwordProblem('password123!', 'root')).toBeNull();
    expect(passwordProblem('Changeme', 'root')).toMatch(/12/);
    expect(passwordProblem('ravi-the-admin-2026', 'ravi')).toMatch(/known or guessable/);
    expect(passwordProblem('lorry-mango-fog-41', 'ravi')).toBeNull();
    // From the maintained common-password list (not a hand-written set).
    expect(passwordProblem('password1234', 'root')).toMatch(/commonly used/);
    expect(passwordProblem('1qaz2wsx3edc', 'root')).toMatch(/commonly used/);
  });
});
