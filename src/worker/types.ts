import type { AuthUser } from './auth/auth-user';

export type { AuthUser };

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    user: AuthUser;
  };
}
