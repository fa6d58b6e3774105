// Error codes of the API contract (API.md "Conventions" and per-endpoint domain codes).

export const ERROR_STATUS = {
  INVALID_INPUT: 400,
  INVALID_QR: 400,
  UNAUTHENTICATED: 401,
  /** The password was right; this account also needs a TOTP or recovery code ("otp"). */
  OTP_REQUIRED: 401,
  FORBIDDEN: 403,
  /** The password was right but the account is deactivated (only ever said after a right password). */
  ACCOUNT_DEACTIVATED: 403,
  AREA_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QR_ROLE_CONFLICT: 409,
  CHILD_IN_OTHER_PARENT: 409,
  PARENT_FULL: 409,
  PARENT_COMPLETED: 409,
  PARENT_ON_FINALIZED_BILL: 409,
  NOTHING_TO_UNDO: 409,
  PARENT_NOT_FOUND: 404,
  PARENT_ON_OTHER_BILL: 409,
  BILL_FULL: 409,
  BILL_FINALIZED: 409,
  /** Opening one more new parent label: this user already holds EMPTY_PARENTS_PER_USER open parents with no child. */
  TOO_MANY_EMPTY_PARENTS: 409,
  /** Returns (issue 13): the parent is on no bill, was returned already, or is on another open ticket. */
  PARENT_NOT_ON_BILL: 409,
  PARENT_ALREADY_RETURNED: 409,
  PARENT_ON_OTHER_TICKET: 409,
  /** A bill scan of a parent that a return ticket took off that bill meanwhile. */
  PARENT_RETURNED: 409,
  /**
   * Deleting a parent (admin) that something depends on: `reason` says what (children, history of scans or
   * links, a bill or return, or work not yet written to Postgres: then try again in a few seconds).
   */
  PARENT_IN_USE: 409,
  RETURN_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** A WebSocket refused because its object holds SOCKETS_PER_OBJECT already (error frame, then close 4009). */
  TOO_MANY_SOCKETS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

/** A failure the caller can act on; mapped to `{"error":{…}}` with its status by the Worker. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { ...this.details, code: this.code, message: this.message };
  }
}

