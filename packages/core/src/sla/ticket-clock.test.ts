import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createMessage } from '../messages/create-message';
import { createWorkspaceWithCast } from '../testing';
import { closeTicket } from '../tickets/close-ticket';
import { createTicket } from '../tickets/create-ticket';
import { escalateTicket } from '../tickets/escalate-ticket';
import { getTicket } from '../tickets/get-ticket';
import { reopenTicket } from '../tickets/reopen-ticket';
import { updateTicket } from '../tickets/update-ticket';
import { getSlaSettings, updateSlaCalendar, updateSlaPolicy } from './policies';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());
afterEach(() => {
  vi.useRealTimers();
});

/** The application's clock (only Date is faked: the database driver's timers keep running). */
const at = (iso: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
};

const berlinOffice = {
  timeZone: 'Europe/Berlin',
  hours: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: '09:00', end: '12:00' },
    { weekday, start: '13:00', end: '17:00' },
  ]),
  holidays: ['2026-10-26'],
};

describe('policies', () => {
  it('given a new workspace, when staff read its policy, then it has the default targets in calendar hours', async () => {
    const { support } = await createWorkspaceWithCast(db);
    const settings = await getSlaSettings(db, support.actor, {});
    expect(settings.version).toBe(1);
    expect(settings.businessHours).toBeNull();
    expect(settings.targets).toEqual({
      critical: { firstResponseMinutes: 15, resolutionMinutes: 60 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 240 },
      medium: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
    });
  });

  it('given an open ticket, when an admin edits the policy, then new tickets use the new targets and the open one keeps its due time', async () => {
    const { admin, support, client } = await createWorkspaceWithCast(db);
    const before = await createTicket(db, client.actor, {
      title: 'Before',
      description: 'x',
      priority: 'high',
      category: 'general',
    });
    const edited = await updateSlaPolicy(db, admin.actor, {
      targets: { high: { firstResponseMinutes: 30, resolutionMinutes: 120 } },
    });
    expect(edited.version).toBe(2);
    expect(edited.targets.medium.resolutionMinutes).toBe(1440);
    const after = await createTicket(db, client.actor, {
      title: 'After',
      description: 'x',
      priority: 'high',
      category: 'general',
    });
    const hours = (ticket: typeof before) =>
      ((ticket.sla?.resolutionDueAt?.getTime() ?? 0) - ticket.createdAt.getTime()) / 3_600_000;
    expect(hours(after)).toBeCloseTo(2, 1);
    // Even a priority change keeps the version the clock started on.
    const retimed = await updateTicket(db, support.actor, { id: before.id, priority: 'medium' });
    expect(hours(retimed)).toBeCloseTo(24, 1);
    await updateTicket(db, support.actor, { id: before.id, priority: 'high' });
    expect(hours(await getTicket(db, support.actor, { id: before.id }))).toBeCloseTo(4, 1);
  });

  it('given support or a requester, when they try to change the policy, then FORBIDDEN and nothing changes', async () => {
    const { support, client, admin } = await createWorkspaceWithCast(db);
    for (const actor of [support.actor, client.actor]) {
      await expect(
        updateSlaPolicy(db, actor, { targets: { low: { firstResponseMinutes: 1, resolutionMinutes: 2 } } }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await getSlaSettings(db, admin.actor, {})).version).toBe(1);
  });
});

describe('the clock on a ticket (Berlin office hours, Monday 26 October 2026 a holiday)', () => {
  it('given a high ticket opened Friday 15:00, then resolution is due Tuesday 11:00 across the weekend, the DST change and the holiday', async () => {
    const { admin, client } = await createWorkspaceWithCast(db);
    await updateSlaCalendar(db, admin.actor, { businessHours: berlinOffice });
    at('2026-10-23T13:00:00Z'); // Friday 15:00 CEST
    const ticket = await createTicket(db, client.actor, {
      title: 'Printer',
      description: 'x',
      priority: 'high',
      category: 'general',
    });
    expect(ticket.sla).toEqual({
      firstResponseDueAt: new Date('2026-10-23T14:00:00Z'), // Friday 16:00 CEST
      resolutionDueAt: new Date('2026-10-27T10:00:00Z'), // Tuesday 11:00 CET
      nextDueAt: new Date('2026-10-23T14:00:00Z'),
      paused: false,
      firstResponseBreached: false,
      resolutionBreached: false,
    });
  });

  it('given a paused ticket, when it resumes and its priority changes, then the due times follow the business time already used', async () => {
    const { admin, support, client } = await createWorkspaceWithCast(db);
    await updateSlaCalendar(db, admin.actor, { businessHours: berlinOffice });
    at('2026-10-23T13:00:00Z'); // Friday 15:00 CEST: opened, high (first response 1 h, resolution 4 h)
    const ticket = await createTicket(db, client.actor, {
      title: 'Printer',
      description: 'x',
      priority: 'high',
      category: 'general',
    });

    at('2026-10-23T13:45:00Z'); // 15:45: waiting on the requester after 45 min
    const paused = await updateTicket(db, support.actor, { id: ticket.id, status: 'awaiting_response' });
    expect(paused.sla).toMatchObject({
      paused: true,
      firstResponseDueAt: null,
      resolutionDueAt: null,
      nextDueAt: null,
    });

    at('2026-10-27T08:30:00Z'); // Tuesday 09:30 CET: the requester answered
    const resumed = await updateTicket(db, support.actor, { id: ticket.id, status: 'in_progress' });
    expect(resumed.sla).toMatchObject({
      paused: false,
      firstResponseDueAt: new Date('2026-10-27T08:45:00Z'), // 15 min left: 09:45
      resolutionDueAt: new Date('2026-10-27T12:45:00Z'), // 3 h 15 left: 9:30–12, 13–13:45
    });

    at('2026-10-27T09:30:00Z'); // 10:30: lowered to medium (4 h / 24 h) after 1 h 45 in all
    const lowered = await updateTicket(db, support.actor, { id: ticket.id, priority: 'medium' });
    expect(lowered.sla).toMatchObject({
      firstResponseDueAt: new Date('2026-10-27T12:45:00Z'), // 2 h 15 left: 10:30–12, 13–13:45
      // The high first response was due at 09:45 and nobody answered: missed, and it stays missed.
      firstResponseBreached: true,
      resolutionDueAt: new Date('2026-10-30T10:45:00Z'), // 22 h 15 left: Friday 11:45
      nextDueAt: new Date('2026-10-30T10:45:00Z'),
    });
  });

  it('given a running ticket, when staff reply, close and the requester reopens, then first response is met, the clock stops and resumes resolution', async () => {
    const { support, client } = await createWorkspaceWithCast(db);
    at('2026-12-01T10:00:00Z'); // calendar hours: medium = 4 h / 24 h
    const ticket = await createTicket(db, client.actor, {
      title: 'Login',
      description: 'x',
      priority: 'medium',
      category: 'general',
    });
    at('2026-12-01T11:00:00Z');
    await createMessage(db, support.actor, {
      ticketId: ticket.id,
      body: 'Looking into it.',
      internal: false,
    });
    const answered = await getTicket(db, support.actor, { id: ticket.id });
    expect(answered.sla).toMatchObject({
      firstResponseDueAt: new Date('2026-12-01T14:00:00Z'),
      firstResponseBreached: false,
      nextDueAt: new Date('2026-12-02T10:00:00Z'),
    });

    at('2026-12-01T16:00:00Z'); // closed after 6 h
    const closed = await closeTicket(db, support.actor, { id: ticket.id });
    expect(closed.sla).toMatchObject({ nextDueAt: null, resolutionDueAt: new Date('2026-12-02T10:00:00Z') });

    at('2026-12-03T16:00:00Z'); // reopened two days later: 18 h left
    const reopened = await reopenTicket(db, client.actor, { id: ticket.id, status: 'open' });
    expect(reopened.sla).toMatchObject({
      resolutionDueAt: new Date('2026-12-04T10:00:00Z'),
      nextDueAt: new Date('2026-12-04T10:00:00Z'),
      resolutionBreached: false,
    });
  });

  it('given a warned running ticket, when it moves from open to in_progress, then its due times and warning stand', async () => {
    const { support, client } = await createWorkspaceWithCast(db);
    at('2026-12-01T10:00:00Z');
    const ticket = await createTicket(db, client.actor, {
      title: 'Slow',
      description: 'x',
      priority: 'medium',
      category: 'general',
    });
    const warnedAt = new Date('2026-12-01T13:40:00Z');
    await db
      .updateTable('tickets')
      .set({ slaFirstResponseWarnedAt: warnedAt })
      .where('id', '=', ticket.id)
      .execute();
    at('2026-12-01T13:45:00.400Z');
    const moved = await updateTicket(db, support.actor, { id: ticket.id, status: 'in_progress' });
    expect(moved.sla).toEqual(ticket.sla);
    const row = await db
      .selectFrom('tickets')
      .select('slaFirstResponseWarnedAt')
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.slaFirstResponseWarnedAt).toEqual(warnedAt);
  });

  it('given a medium ticket running for 2 h, when it is escalated, then the critical targets apply and both are due at once', async () => {
    const { support, client } = await createWorkspaceWithCast(db);
    at('2026-12-01T10:00:00Z');
    const ticket = await createTicket(db, client.actor, {
      title: 'Down',
      description: 'x',
      priority: 'medium',
      category: 'general',
    });
    at('2026-12-01T12:00:00Z');
    const escalated = await escalateTicket(db, support.actor, { id: ticket.id });
    // Critical: 15 min / 1 h, both used up: due now, and the worker announces them at its next tick.
    expect(escalated.sla).toMatchObject({
      firstResponseDueAt: new Date('2026-12-01T12:00:00Z'),
      resolutionDueAt: new Date('2026-12-01T12:00:00Z'),
      nextDueAt: new Date('2026-12-01T12:00:00Z'),
      firstResponseBreached: false,
    });
  });
});
