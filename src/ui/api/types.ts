// Response shapes of the HTTP contract (API.md) as the UI reads them. Shared protocol types (WebSocket
// messages, session user, error codes) come from src/shared so the UI and the Worker cannot drift.
export type { SessionUser, Role } from '../../shared/types';

export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Area {
  id: number;
  name: string;
}
