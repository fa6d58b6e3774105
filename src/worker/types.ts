import type { SessionUser } from '../shared/types';

export interface AuthUser extends SessionUser {
  /** Session id and expiry (epoch ms) from the verified token. */
  sid: string;
  exp: number;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    user: AuthUser;
  };
}
