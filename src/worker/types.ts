import type { AuthUser } from './auth/auth-user';

export type { AuthUser };

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    user: AuthUser;
    /** Set by handlers that end or replace the session (logout, password change): no sliding refresh. */
    sessionEnded?: boolean;
  };
}
