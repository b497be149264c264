import type { AuditEvent } from '@tickets/client';
import { describe, expect, it } from 'vitest';
import { describeEvent, describeTarget, duration, percent, timeAgo } from './format';

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

describe('service-level clocks in words', () => {
  const now = Date.UTC(2026, 11, 7, 12, 0);
  const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000);
  const running = { breached: false, done: false, paused: false };

  it('given a running target, then it says how long is left, in days, hours and minutes', () => {
    expect(describeTarget({ ...running, dueAt: at(200) }, now)).toBe('due in 3 h 20 min');
    expect(describeTarget({ ...running, dueAt: at(45) }, now)).toBe('due in 45 min');
    expect(describeTarget({ ...running, dueAt: at(60 * 52) }, now)).toBe('due in 2 days 4 h');
    expect(describeTarget({ ...running, dueAt: at(0.5) }, now)).toBe('due in less than a minute');
  });

  it('given a breached target, or a due time already passed, then it says how long ago', () => {
    expect(describeTarget({ ...running, breached: true, dueAt: at(-120) }, now)).toBe('breached 2 h ago');
    expect(describeTarget({ ...running, dueAt: at(-5) }, now)).toBe('breached 5 min ago');
  });

  it('given a paused clock, a met or a missed target, then it says so', () => {
    expect(describeTarget({ ...running, paused: true, dueAt: null }, now)).toBe(
      'paused while awaiting the requester',
    );
    expect(describeTarget({ ...running, done: true, dueAt: at(-10) }, now)).toBe('met');
    expect(describeTarget({ ...running, done: true, breached: true, dueAt: at(-10) }, now)).toBe('missed');
  });

  it('given shares, then whole percent, or a dash when nothing is decided', () => {
    expect(percent(0.8)).toBe('80 %');
    expect(percent(null)).toBe('—');
  });
});
