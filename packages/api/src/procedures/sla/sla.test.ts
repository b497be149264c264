import { createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { rejection } from '../tickets/test-support';

const api = await createTestApi();
afterAll(() => api.close());

const office = {
  timeZone: 'America/New_York',
  hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  holidays: ['2026-12-25'],
};

describe('sla procedures', () => {
  it('given an admin, when they set business hours, then staff read them back as a new version', async () => {
    const { admin, support } = await createWorkspaceWithCast(api.db);
    const updated = await api.as(admin.token).sla.updateCalendar({ businessHours: office });
    expect(updated).toMatchObject({ version: 2, businessHours: office });
    expect(await api.as(support.token).sla.get({})).toEqual(updated);
    const back = await api.as(admin.token).sla.updateCalendar({ businessHours: null });
    expect(back).toMatchObject({ version: 3, businessHours: null });
  });

  it('given a superadmin, when they omit workspaceId, then WORKSPACE_REQUIRED; naming it works', async () => {
    const { superadmin, workspace } = await createWorkspaceWithCast(api.db);
    const error = await rejection(api.as(superadmin.token).sla.get({}));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'WORKSPACE_REQUIRED' } });
    expect((await api.as(superadmin.token).sla.get({ workspaceId: workspace.id })).workspaceId).toBe(
      workspace.id,
    );
  });

  it.each([
    ['an unknown time zone', { ...office, timeZone: 'Mars/Olympus' }, 'businessHours.timeZone'],
    [
      'an interval ending before it starts',
      { ...office, hours: [{ weekday: 1, start: '17:00', end: '09:00' }] },
      'businessHours.hours.0.end',
    ],
    [
      'overlapping intervals',
      {
        ...office,
        hours: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ],
      },
      'businessHours.hours.1.start',
    ],
    [
      'a weekday 8',
      { ...office, hours: [{ weekday: 8, start: '09:00', end: '12:00' }] },
      'businessHours.hours.0.weekday',
    ],
    ['no opening hours', { ...office, hours: [] }, 'businessHours.hours'],
    ['a holiday that is no date', { ...office, holidays: ['2026-02-30'] }, 'businessHours.holidays.0'],
    [
      'a time of 25:00',
      { ...office, hours: [{ weekday: 1, start: '09:00', end: '25:00' }] },
      'businessHours.hours.0.end',
    ],
  ])(
    'given %s, when an admin sets it, then BAD_REQUEST naming %s and nothing changes',
    async (_label, businessHours, path) => {
      const { admin } = await createWorkspaceWithCast(api.db);
      const error = await rejection(api.as(admin.token).sla.updateCalendar({ businessHours }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'VALIDATION_FAILED' } });
      expect((error.data.issues ?? []).map((issue: { path: string }) => issue.path)).toContain(path);
      expect((await api.as(admin.token).sla.get({})).version).toBe(1);
    },
  );

  it('given a first-response target longer than the resolution, or zero minutes, then BAD_REQUEST naming it', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    for (const [target, path] of [
      [{ firstResponseMinutes: 120, resolutionMinutes: 60 }, 'targets.high.firstResponseMinutes'],
      [{ firstResponseMinutes: 0, resolutionMinutes: 60 }, 'targets.high.firstResponseMinutes'],
    ] as const) {
      const error = await rejection(api.as(admin.token).sla.updatePolicy({ targets: { high: target } }));
      expect((error.data.issues ?? []).map((issue: { path: string }) => issue.path)).toContain(path);
    }
    expect((await api.as(admin.token).sla.get({})).version).toBe(1);
  });

  it('given a ticket opened by a requester, when anyone who sees it reads it, then its clock is shown', async () => {
    const { client, support } = await createWorkspaceWithCast(api.db);
    const ticket = await api
      .as(client.token)
      .tickets.create({ title: 'Clock', description: 'x', priority: 'high' });
    const hours = (at: Date | null | undefined) =>
      ((at?.getTime() ?? 0) - ticket.createdAt.getTime()) / 3_600_000;
    expect(hours(ticket.sla?.firstResponseDueAt)).toBeCloseTo(1, 1);
    expect(hours(ticket.sla?.resolutionDueAt)).toBeCloseTo(4, 1);
    const seen = await api.as(support.token).tickets.get({ id: ticket.id });
    expect(seen.sla).toEqual(ticket.sla);
    const listed = await api.as(client.token).tickets.list({ sort: 'sla' });
    expect(listed.items.map((item) => item.id)).toEqual([ticket.id]);
  });
});
