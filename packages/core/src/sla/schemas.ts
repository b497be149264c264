import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { TicketPriority } from '../tickets/schemas';
import { wallMinutes } from './business-time';

/** "HH:MM" from 00:00 to 24:00 (24:00 closes an interval at midnight). */
const wallTimeSchema = z
  .string()
  .max(5)
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'expected a time HH:MM between 00:00 and 24:00' });

const localDateSchema = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
  .refine((text) => new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
    error: 'expected a real calendar date',
  });

export const openingIntervalSchema = z
  .object({
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: z.number().int().min(1).max(7),
    start: wallTimeSchema,
    end: wallTimeSchema,
  })
  .strict()
  .refine((interval) => wallMinutes(interval.end) > wallMinutes(interval.start), {
    error: 'end must be after start (split an interval that runs past midnight into two days)',
    path: ['end'],
  });

/** Opening hours in an IANA zone, several intervals a day allowed, and closed local dates. */
export const businessCalendarSchema = z
  .object({
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine((zone) => IANAZone.isValidZone(zone), {
        error: 'expected an IANA time zone such as Europe/Berlin',
      }),
    hours: z.array(openingIntervalSchema).min(1).max(70),
    holidays: z.array(localDateSchema).max(400).default([]),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const sorted = calendar.hours
      .map((interval, index) => ({ ...interval, index }))
      .sort((a, b) => a.weekday - b.weekday || wallMinutes(a.start) - wallMinutes(b.start));
    for (let i = 1; i < sorted.length; i += 1) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (
        previous &&
        current &&
        previous.weekday === current.weekday &&
        wallMinutes(current.start) < wallMinutes(previous.end)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['hours', current.index, 'start'],
          message: 'overlaps another interval of the same day',
        });
      }
    }
  });
export type BusinessCalendarInput = z.infer<typeof businessCalendarSchema>;

const MAX_TARGET_MINUTES = 366 * 24 * 60;

export const slaTargetSchema = z
  .object({
    firstResponseMinutes: z.number().int().min(1).max(MAX_TARGET_MINUTES),
    resolutionMinutes: z.number().int().min(1).max(MAX_TARGET_MINUTES),
  })
  .strict()
  .refine((target) => target.firstResponseMinutes <= target.resolutionMinutes, {
    error: 'the first response cannot be due after the resolution',
    path: ['firstResponseMinutes'],
  });
export type SlaTarget = z.infer<typeof slaTargetSchema>;

export const slaTargetsSchema = z.object({
  low: slaTargetSchema,
  medium: slaTargetSchema,
  high: slaTargetSchema,
  critical: slaTargetSchema,
}) satisfies z.ZodType<Record<TicketPriority, SlaTarget>>;
export type SlaTargets = z.infer<typeof slaTargetsSchema>;

/** A workspace's policy in force: targets per priority, measured in its business hours or calendar hours. */
export const slaSettingsSchema = z.object({
  workspaceId: z.uuid(),
  /** The policy version: +1 on every edit; tickets keep the version their clock started on. */
  version: z.number().int(),
  targets: slaTargetsSchema,
  /** null: calendar hours (around the clock). */
  businessHours: businessCalendarSchema.nullable(),
  updatedAt: z.date(),
});
export type SlaSettings = z.infer<typeof slaSettingsSchema>;

export const getSlaSettingsInput = z
  .object({
    /** Superadmin: the workspace (required); others: their own (optional). */
    workspaceId: z.uuid().optional(),
  })
  .strict();
export type GetSlaSettingsInput = z.infer<typeof getSlaSettingsInput>;

export const updateSlaPolicyInput = z
  .object({
    workspaceId: z.uuid().optional(),
    /** The priorities to change; the others keep their targets. */
    targets: z
      .object({
        low: slaTargetSchema.optional(),
        medium: slaTargetSchema.optional(),
        high: slaTargetSchema.optional(),
        critical: slaTargetSchema.optional(),
      })
      .strict(),
  })
  .strict();
export type UpdateSlaPolicyInput = z.infer<typeof updateSlaPolicyInput>;

export const updateSlaCalendarInput = z
  .object({
    workspaceId: z.uuid().optional(),
    /** null: measure in calendar hours. */
    businessHours: businessCalendarSchema.nullable(),
  })
  .strict();
export type UpdateSlaCalendarInput = z.infer<typeof updateSlaCalendarInput>;

/** A ticket's service-level clock as clients see it (null on a ticket that has none). */
export const ticketSlaSchema = z.object({
  /** When the first public staff reply is (or was) due; null while paused before one. */
  firstResponseDueAt: z.date().nullable(),
  /** When the ticket is due to be closed; null while paused. Kept as it was when the ticket closed. */
  resolutionDueAt: z.date().nullable(),
  /** The nearest target neither met nor missed yet; null when none is running. */
  nextDueAt: z.date().nullable(),
  /** Waiting on the requester (awaiting_response): the clock stands still. */
  paused: z.boolean(),
  firstResponseBreached: z.boolean(),
  resolutionBreached: z.boolean(),
});
export type TicketSla = z.infer<typeof ticketSlaSchema>;
