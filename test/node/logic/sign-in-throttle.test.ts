import { describe, expect, it } from 'vitest';
import { clientNetwork, UNKNOWN_NETWORK } from '../../../src/worker/auth/client-network';
import { decayed, delayAfter, EMPTY_ROW, isThrottled, waitMs, withFailure, withoutFailure, type ThrottlePolicy } from '../../../src/durable/limiter/sign-in-throttle';

describe('client network', () => {
  it('counts an IPv4 client by its address and an IPv6 client by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork(' 010.001.2.3 ')).toBe('10.1.2.3');
    expect(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0DB8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:2::ffff')).toBe(clientNetwork('2001:db8:1:2:1234::9'));
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
    expect(clientNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('[2001:db8:1:2::1]')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('64:ff9b:1:2::192.0.2.1')).toBe('64:ff9b:1:2::/64');
    // IPv4-mapped IPv6 is the IPv4 client.
    expect(clientNetwork('::ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('puts missing or malformed addresses into one "unknown" network', () => {
    for (const bad of [undefined, null, '', '  ', 'localhost', '256.1.1.1', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1.2.3.4, 5.6.7.8', '<script>']) {
      expect(clientNetwork(bad), String(bad)).toBe(UNKNOWN_NETWORK);
    }
  });
});

describe('throttle rules', () => {
  const policy: ThrottlePolicy = { accountFreeFailures: 5, networkFreeFailures: 50, baseDelayMs: 1000, maxDelayMs: 900_000, memoryMs: 3_600_000 };

  it('lets the free failures through, then doubles the wait up to the maximum', () => {
    const waits = Array.from({ length: 18 }, (_, i) => delayAfter(i + 1, 5, policy));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 11)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
    expect(waits.at(-1)).toBe(900_000);
    expect(delayAfter(10_000, 5, policy)).toBe(900_000);
  });

  it('counts a failure with its wait, and forgets a key after the memory window', () => {
    let row = EMPTY_ROW;
    for (let i = 0; i < 6; i++) row = withFailure(row, 1000 + i, 5, policy);
    expect(row).toEqual({ failures: 6, lastFailureMs: 1005, blockedUntilMs: 2005 });
    expect(waitMs(row, 1500)).toBe(505);
    expect(isThrottled(row, 3000, 5)).toBe(true);
    expect(decayed(row, 1005 + policy.memoryMs, policy.memoryMs)).toBe(row);
    expect(decayed(row, 1006 + policy.memoryMs, policy.memoryMs)).toEqual(EMPTY_ROW);
    expect(isThrottled(withFailure(EMPTY_ROW, 0, 5, policy), 0, 5)).toBe(false);
  });

  it('gives back an attempt whose password was right: as before, unless another failure came since', () => {
    const before = { failures: 7, lastFailureMs: 100, blockedUntilMs: 2100 };
    const counted = withFailure(before, 5000, 5, policy);
    expect(counted.blockedUntilMs).toBe(5000 + 4000);
    expect(withoutFailure(counted, 5000, before)).toEqual(before);
    const later = withFailure(counted, 5100, 5, policy);
    expect(withoutFailure(later, 5000, before)).toEqual({ ...later, failures: 8 });
  });
});
