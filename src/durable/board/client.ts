import type { LiveBoard } from './live-board';

export function boardFor(env: Env, areaId: number): DurableObjectStub<LiveBoard> {
  return env.BOARDS.get(env.BOARDS.idFromName(`area:${areaId}`));
}

export function allBoard(env: Env): DurableObjectStub<LiveBoard> {
  return env.BOARDS.get(env.BOARDS.idFromName('all'));
}
