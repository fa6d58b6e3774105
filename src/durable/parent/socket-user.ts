import { z } from 'zod';
import { ROLES } from '../../shared/types';

/** The identity the Worker hands a Durable Object with a WebSocket upgrade; kept in the socket's attachment. */
export const socketUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.enum(ROLES),
  areaId: z.number().int().nullable(),
  /** Session id and issue time, checked against the revocation list on every message. */
  sid: z.string(),
  iat: z.number(),
  /** Session expiry (epoch ms): messages after it close the socket. */
  exp: z.number(),
  /** Idle deadline at upgrade (epoch ms); every message on the socket slides it (see socket-idle.ts). */
  idleUntil: z.number().optional(),
});

export type SocketUser = z.infer<typeof socketUserSchema>;
