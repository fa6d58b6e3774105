import type { SessionUser } from '../../shared/types';

/** The signed-in user as a verified session token describes them. */
export interface AuthUser extends SessionUser {
  /** Session id and expiry (epoch ms) from the verified token. */
  sid: string;
  iat: number;
  exp: number;
  /** Idle deadline (epoch ms): activity moves it (token refresh), never past exp. */
  idleUntil: number;
  /** The user's language carried in the token ('en' | 'hi', null: never chosen); undefined in older tokens. */
  locale?: 'en' | 'hi' | null;
}
