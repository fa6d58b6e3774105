// Per-socket message rate: a token bucket (`perSecond` sustained, `burst` at once). A message without a
// token is refused (the socket gets an error frame and stays open). Refusals add to a debt that drains at
// the same rate: a socket that runs up more than a burst of it (it keeps sending well over twice the rate,
// so it is not listening) is closed (4008). Pure, so it is tested in Node.

export interface RateBucket {
  tokens: number;
  at: number;
  /** Refused messages, draining at `perSecond`: past `burst`, the socket is closed. */
  refused: number;
}

export interface RateLimits {
  perSecond: number;
  burst: number;
}

export type RateVerdict = 'ok' | 'refuse' | 'close';

/** Takes one message's token from `bucket` (a new socket's bucket is full); mutates and answers. */
export function takeMessage(bucket: RateBucket | undefined, now: number, limits: RateLimits): { bucket: RateBucket; verdict: RateVerdict } {
  const b = bucket ?? { tokens: limits.burst, at: now, refused: 0 };
  const refill = (Math.max(0, now - b.at) * limits.perSecond) / 1000;
  b.tokens = Math.min(limits.burst, b.tokens + refill);
  b.refused = Math.max(0, b.refused - refill);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { bucket: b, verdict: 'ok' };
  }
  b.refused++;
  return { bucket: b, verdict: b.refused > limits.burst ? 'close' : 'refuse' };
}

/** How long until the bucket holds a token again. */
export function retryAfterMs(bucket: RateBucket, limits: RateLimits): number {
  return Math.max(0, Math.ceil(((1 - bucket.tokens) * 1000) / limits.perSecond));
}
