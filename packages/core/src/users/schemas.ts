import { z } from 'zod';
import { roles } from '../policy/actor';
import { pageInput } from '../shared/pagination';

// E-mail is the sign-in name: stored lower-cased so the unique index on lower(email) and lookups agree.
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());
export const passwordSchema = z.string().min(10).max(256);
export const userNameSchema = z.string().trim().min(1).max(120);
export const roleSchema = z.enum(roles);

/** A user as every client sees it: never the password hash. */
export const userSchema = z.object({
  id: z.uuid(),
  workspaceId: z.uuid().nullable(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  isActive: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type User = z.infer<typeof userSchema>;

export const createSuperadminInput = z
  .object({ email: emailSchema, password: passwordSchema, name: userNameSchema })
  .strict();
export type CreateSuperadminInput = z.input<typeof createSuperadminInput>;

export const createUserInput = z
  .object({
    workspaceId: z.uuid().optional(),
    email: emailSchema,
    password: passwordSchema,
    name: userNameSchema,
    role: roleSchema,
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserInput>;

export const listUsersInput = pageInput
  .extend({
    workspaceId: z.uuid().optional(),
    role: roleSchema.optional(),
    isActive: z.boolean().optional(),
  })
  .strict()
  // No input at all is the first page with the defaults (prefault parses {}, so limit gets its default).
  .prefault({});
export type ListUsersInput = z.infer<typeof listUsersInput>;

export const updateUserInput = z
  .object({
    id: z.uuid(),
    name: userNameSchema.optional(),
    role: roleSchema.optional(),
    isActive: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserInput>;
