import { t } from '../init';
import { me } from '../procedures/auth/me';
import { setup } from '../procedures/auth/setup';
import { signIn } from '../procedures/auth/sign-in';
import { signOut } from '../procedures/auth/sign-out';
import { signUp } from '../procedures/auth/sign-up';

export const authRouter = t.router({ setup, signUp, signIn, signOut, me });
