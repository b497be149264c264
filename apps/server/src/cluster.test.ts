import { describe, expect, it } from 'vitest';
import { defaultRestartPolicy, nextRestart, poolShares } from './cluster';

describe('poolShares', () => {
  it('given DB_POOL_MAX and WORKERS, then the workers share the connections one process would open', () => {
    expect(poolShares(10, 1)).toEqual([10]);
    expect(poolShares(10, 2)).toEqual([5, 5]);
    expect(poolShares(10, 3)).toEqual([4, 3, 3]);
    expect(poolShares(10, 4).reduce((sum, share) => sum + share, 0)).toBe(10);
  });

  it('given more workers than connections, then each worker still gets one', () => {
    expect(poolShares(2, 4)).toEqual([1, 1, 1, 1]);
  });
});

describe('nextRestart', () => {
  const policy = defaultRestartPolicy;

  it('given a worker that ran for a while, then its replacement starts at once and the count starts over', () => {
    expect(nextRestart(policy, 3, policy.stableAfterMs)).toEqual({ quickExits: 0, delayMs: 0 });
  });

  it('given workers dying as they start, then each wait doubles up to the cap: a crash loop does not spin', () => {
    const delays: number[] = [];
    let quickExits = 0;
    for (let exit = 0; exit < 10; exit += 1) {
      const next = nextRestart(policy, quickExits, 1_000);
      quickExits = next.quickExits;
      delays.push(next.delayMs);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });
});
