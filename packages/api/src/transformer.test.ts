import { AppError } from '@tickets/core';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { deserializeInput } from './transformer';

describe('the input transformer', () => {
  it('given what the SDK sends (dates, undefined, one date used twice), then it decodes as superjson does', () => {
    const at = new Date('2026-12-07T10:00:00.000Z');
    const input = { from: at, to: at, nested: { list: [at, undefined] }, status: undefined };
    expect(deserializeInput(superjson.serialize(input))).toEqual(input);
    expect(deserializeInput(superjson.serialize(at))).toEqual(at);
    expect(deserializeInput({ json: { plain: 'json' } })).toEqual({ plain: 'json' });
  });

  it.each([
    ['a bigint', { json: { a: '1' }, meta: { values: { a: ['bigint'] } } }],
    ['a regexp', { json: { a: '/x/g' }, meta: { values: { a: ['regexp'] } } }],
    ['a date longer than any ISO date', { json: { a: '2'.repeat(1000) }, meta: { values: { a: ['Date'] } } }],
    ['a date tag on a number', { json: { a: 5 }, meta: { values: { a: ['Date'] } } }],
    ['a date tag on a missing path', { json: {}, meta: { values: { 'a.b': ['Date'] } } }],
    ['a nested map annotation', { json: { a: [] }, meta: { values: { a: ['map', { 0: ['Date'] }] } } }],
    ['an unknown meta key', { json: {}, meta: { values: {}, other: 1 } }],
    ['meta that is a string', { json: {}, meta: 'values' }],
    ['references that are not paths', { json: {}, meta: { referentialEqualities: { a: [1] } } }],
    ['a payload that is not an object', 'json'],
  ])('given %s, then VALIDATION_FAILED', (_, payload) => {
    expect(() => deserializeInput(payload)).toThrow(AppError);
  });

  it('given a date of 32 characters, then it is read; of 33, then it is refused before any conversion', () => {
    const long = (length: number) => ({ json: { a: '2'.repeat(length) }, meta: { values: { a: ['Date'] } } });
    expect(() => deserializeInput(long(32))).not.toThrow(AppError);
    expect(() => deserializeInput(long(33))).toThrow(AppError);
  });

  it('given 200 tagged values, then they are read; given 201, then the input is refused', () => {
    const tagged = (count: number) => {
      const keys = Array.from({ length: count }, (_, index) => `k${index}`);
      return {
        json: Object.fromEntries(keys.map((key) => [key, null])),
        meta: { values: Object.fromEntries(keys.map((key) => [key, ['undefined']])) },
      };
    };
    expect(() => deserializeInput(tagged(200))).not.toThrow();
    expect(() => deserializeInput(tagged(201))).toThrow(AppError);
  });
});
