// A rejected scan explained in words an operator acts on (UI.md: "already in SB00012", "bag is full",
// "that is a parent label"), from the contract's error codes and their details.
export interface ErrorLike {
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** `scanned` says what the operator meant the label to be: a child going in, or a parent being opened. */
export function rejectionWords(error: ErrorLike, scanned: 'child' | 'parent' = 'child'): string {
  switch (error.code) {
    case 'CHILD_IN_OTHER_PARENT':
      return typeof error.parentQr === 'string' ? `already in ${error.parentQr}` : 'already in another parent bag';
    case 'PARENT_FULL':
      return 'bag is full';
    case 'PARENT_COMPLETED':
      return 'this parent bag is already completed';
    case 'QR_ROLE_CONFLICT':
      return scanned === 'child' ? 'that is a parent label' : 'that is a child label, not a parent';
    case 'INVALID_QR':
      return `not a valid bag label: ${error.message}`;
    case 'NOT_FOUND':
      return 'parent bag not opened yet';
    case 'AREA_FORBIDDEN':
      return 'that parent bag belongs to another area';
    case 'FORBIDDEN':
      return 'you are not allowed to do that';
    case 'NOTHING_TO_UNDO':
      return 'nothing of yours to undo (only your last scan within an hour)';
    case 'RATE_LIMITED':
      return 'too many scans at once, wait a moment';
    default:
      return error.message || error.code;
  }
}
