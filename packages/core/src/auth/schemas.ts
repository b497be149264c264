import { z } from 'zod';
import { emailSchema, passwordSchema, userNameSchema, userSchema } from '../users/schemas';
import { workspaceSlugSchema } from '../workspaces/schemas';

export const signUpInput = z
  .object({
    workspaceSlug: workspaceSlugSchema,
    email: emailSchema,
    password: passwordSchema,
    name: userNameSchema,
  })
  .strict();
export type SignUpInput = z.infer<typeof signUpInput>;

// Sign-in checks the password only against what is stored, so it takes any bounded string: a password
// set under older rules must still work, and a malformed e-mail simply matches nobody.
export const signInInput = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(256),
    /**
     * The device token of an earlier sign-in (programs; browsers send it as a cookie): attempts with it
     * are not blocked by failed attempts on the account from elsewhere.
     */
    deviceToken: z.string().min(1).max(160).optional(),
  })
  .strict();
export type SignInInput = z.infer<typeof signInInput>;

/** A signed-in user and their session: browsers use the cookie, programs keep the token. */
export const authResultSchema = z.object({
  user: userSchema,
  token: z.string(),
  expiresAt: z.date(),
  /** Keep it and send it with the next sign-in (browsers keep it as an HttpOnly cookie). */
  deviceToken: z.string(),
});
export type AuthResult = z.infer<typeof authResultSchema>;
