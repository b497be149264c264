import { describe, expect, it } from 'vitest';
import { pick } from './ui';

const priorities = ['low', 'medium', 'high'] as const;

describe('pick: the option a <select> chose, as its union member', () => {
  it('given a value among the options, then that member comes back', () => {
    expect(pick(priorities, 'high')).toBe('high');
  });

  it('given a value outside the options (a tampered page), then it is refused, not passed on', () => {
    expect(() => pick(priorities, 'critical')).toThrow(
      /"critical" is not one of the options: low, medium, high/,
    );
    expect(() => pick(priorities, '')).toThrow();
  });
});
