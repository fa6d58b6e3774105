// The scanner explains refusals in the operator's words, from the contract's error codes and details.
import { describe, expect, it } from 'vitest';
import { rejectionWords } from '../../../src/ui/scanner/rejection';

describe('rejectionWords', () => {
  it('names the parent a child is already in', () => {
    expect(rejectionWords({ code: 'CHILD_IN_OTHER_PARENT', message: 'x', parentQr: 'SB00012' })).toBe('already in SB00012');
    expect(rejectionWords({ code: 'CHILD_IN_OTHER_PARENT', message: 'x' })).toBe('already in another parent bag');
  });

  it('says a full bag is full and a parent label is a parent label', () => {
    expect(rejectionWords({ code: 'PARENT_FULL', message: 'x' })).toBe('bag is full');
    expect(rejectionWords({ code: 'QR_ROLE_CONFLICT', message: 'x' })).toBe('that is a parent label');
    // Opening a parent with a known child's label is the same code the other way round.
    expect(rejectionWords({ code: 'QR_ROLE_CONFLICT', message: 'x' }, 'parent')).toBe('that is a child label, not a parent');
  });

  it("keeps the server's explanation of a malformed label, and falls back to its message for unknown codes", () => {
    expect(rejectionWords({ code: 'INVALID_QR', message: 'expected 4 to 20 letters or digits' })).toBe('not a valid bag label: expected 4 to 20 letters or digits');
    expect(rejectionWords({ code: 'SOMETHING_NEW', message: 'Something new happened.' })).toBe('Something new happened.');
  });
});
