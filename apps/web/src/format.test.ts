import type { AuditEvent } from '@tickets/client';
import { describe, expect, it } from 'vitest';
import { describeEvent, duration, timeAgo } from './format';

const names: Record<string, string> = { grace: 'Grace', ada: 'Ada' };
const nameOf = (id: string | null | undefined) => (id ? (names[id] ?? 'Someone') : 'Nobody');
const event = (
  action: AuditEvent['action'],
  data: Record<string, unknown>,
  internal = false,
): AuditEvent => ({
  id: 'e',
  workspaceId: 'w',
  ticketId: 't',
  actorId: 'grace',
  action,
  internal,
  data,
  createdAt: new Date(),
});

describe('the history in words', () => {
  it('given an assignment, then it reads "Grace assigned this to Ada", or "took this ticket" for oneself', () => {
    expect(
      describeEvent(event('ticket.assigned', { changes: { assignedTo: { from: null, to: 'ada' } } }), nameOf),
    ).toBe('Grace assigned this to Ada');
    expect(
      describeEvent(
        event('ticket.assigned', { changes: { assignedTo: { from: null, to: 'grace' } } }),
        nameOf,
      ),
    ).toBe('Grace took this ticket');
    expect(
      describeEvent(event('ticket.assigned', { changes: { assignedTo: { from: 'ada', to: null } } }), nameOf),
    ).toBe('Grace unassigned this');
  });

  it('given an edit, then each changed field is named with its old and new value (a description is only named)', () => {
    const edited = event('ticket.updated', {
      changes: { priority: { from: 'low', to: 'high' }, description: { from: 'a', to: 'b' } },
    });
    expect(describeEvent(edited, nameOf)).toBe('Grace changed priority from Low to High, description');
  });

  it('given messages and closing, then notes, replies and reasons read as such', () => {
    expect(describeEvent(event('message.created', {}, true), nameOf)).toBe('Grace added an internal note');
    expect(describeEvent(event('message.created', {}), nameOf)).toBe('Grace replied');
    expect(describeEvent(event('ticket.closed', { reason: 'Fixed' }), nameOf)).toBe(
      'Grace closed this: “Fixed”',
    );
    expect(describeEvent(event('attachment.created', { filename: 'log.txt' }), nameOf)).toBe(
      'Grace attached log.txt',
    );
  });
});

describe('times in words', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('given recent moments, then they read relative to now', () => {
    expect(timeAgo(new Date(now - 10_000), now)).toBe('just now');
    expect(timeAgo(new Date(now - 2 * 60_000), now)).toBe('2 minutes ago');
    expect(timeAgo(new Date(now - 3 * 3600_000), now)).toBe('3 hours ago');
    expect(timeAgo(new Date(now - 86_400_000), now)).toBe('yesterday');
  });

  it('given durations, then the largest sensible unit is used, and none reads as a dash', () => {
    expect(duration(null)).toBe('—');
    expect(duration(90)).toBe('2 min');
    expect(duration(5400)).toBe('1.5 h');
    expect(duration(3 * 86_400)).toBe('3.0 days');
  });
});
