import { describe, expect, it } from 'vitest';
import { createMessageInput } from './schemas';

const ticketId = '00000000-0000-4000-8000-000000000000';

describe('createMessageInput', () => {
  it('given a body, then it is kept byte for byte and internal defaults to false', () => {
    const body = '  indented\n\n';
    expect(createMessageInput.parse({ ticketId, body })).toEqual({ ticketId, body, internal: false });
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t'],
    ['too long', 'x'.repeat(50_001)],
    ['holding a NUL', 'a\u0000b'],
  ])('given a body that is %s, then the issue names the body', (_name, body) => {
    const result = createMessageInput.safeParse({ ticketId, body });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('body');
  });

  it('given a field the contract does not name, then it is refused rather than dropped', () => {
    const result = createMessageInput.safeParse({ ticketId, body: 'hi', authorId: ticketId });
    expect(result.success).toBe(false);
  });

  it('accepts exactly 50 000 characters', () => {
    expect(createMessageInput.safeParse({ ticketId, body: 'x'.repeat(50_000) }).success).toBe(true);
  });
});
