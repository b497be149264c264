import { t } from '../init';
import { meProcedure } from '../procedures/auth/me';
import { setupProcedure } from '../procedures/auth/setup';
import { signInProcedure } from '../procedures/auth/sign-in';
import { signOutProcedure } from '../procedures/auth/sign-out';
import { signUpProcedure } from '../procedures/auth/sign-up';

export const authRouter = t.router({
  setup: setupProcedure,
  signUp: signUpProcedure,
  signIn: signInProcedure,
  signOut: signOutProcedure,
  me: meProcedure,
});
