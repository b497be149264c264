import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { lowerPriority, niceFor } from './priority';

type LogLine = Record<string, unknown> & { msg: string };

function captureLogs() {
  const lines: LogLine[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('lowerPriority', () => {
  it('given the OS accepts, then the priority is set to the nice value and logged', () => {
    const { logger, lines } = captureLogs();
    const asked: number[] = [];

    expect(lowerPriority(10, logger, (priority) => asked.push(priority))).toBe(true);

    expect(asked).toEqual([10]);
    expect(lines).toEqual([expect.objectContaining({ msg: 'worker priority lowered', nice: 10 })]);
  });

  it('given the OS refuses, then it logs a warning and goes on at the current priority', () => {
    const { logger, lines } = captureLogs();
    const refusal = Object.assign(new Error('setPriority EACCES'), { code: 'ERR_SYSTEM_ERROR' });

    expect(
      lowerPriority(5, logger, () => {
        throw refusal;
      }),
    ).toBe(false);

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'the OS refused the worker priority; running at the current one',
        nice: 5,
      }),
    ]);
  });

  it('given no setter, then it asks the real OS for this process (a no-op at the current value)', () => {
    const current = getPriority();
    expect(lowerPriority(current, createLogger('silent'))).toBe(true);
    expect(getPriority()).toBe(current);
  });
});

describe('niceFor', () => {
  it('given a worker process, then it takes WORKER_NICE; given one that serves requests, then none', () => {
    expect(niceFor({ role: 'worker', workerNice: 10 })).toBe(10);
    expect(niceFor({ role: 'worker', workerNice: 0 })).toBe(0);
    expect(niceFor({ role: 'all', workerNice: 10 })).toBeNull();
    expect(niceFor({ role: 'api', workerNice: 10 })).toBeNull();
  });
});
