import { describe, expect, it } from 'vitest';
import { inputProblem } from './text';

const nested = (levels: number) => {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};

describe('inputProblem, the checks every input gets before its schema', () => {
  it('given 16 levels of objects, then the input passes; given 17, then it is too deep', () => {
    expect(inputProblem(nested(16))).toBeNull();
    expect(inputProblem(nested(17))).toEqual({
      path: 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a',
      message: expect.stringContaining('nested too deeply'),
    });
  });

  it('given a reserved key below the top, then its path is named', () => {
    const input = JSON.parse('{"filters":[{"ok":1},{"__proto__":{}}]}');
    expect(inputProblem(input)).toEqual({
      path: 'filters.1.__proto__',
      message: expect.stringContaining('reserved'),
    });
  });

  it('given NUL or a lone surrogate in a key, then the key is named, as for values', () => {
    expect(inputProblem({ 'a\u0000b': 1 })?.path).toBe('a\u0000b');
    expect(inputProblem({ '\uDC00': 1 })?.message).toMatch(/Unicode/);
  });

  it('given a well-formed pair (an emoji) and dates, then nothing is refused', () => {
    expect(inputProblem({ title: 'Printer 🔥 on fire', from: new Date() })).toBeNull();
  });
});
